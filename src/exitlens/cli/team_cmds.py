"""exitlens codings import | export, agreement, samples, consensus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from exitlens.cli.context import console, globals_of, print_json

codings_app = typer.Typer(help="Codings made elsewhere (another tool, a spreadsheet) in and "
                               "out as CSV.\n\nExample: exitlens codings import ana.csv "
                               "--coder ana", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(codings_app, name="codings")
    app.add_typer(samples_app, name="samples")
    app.add_typer(consensus_app, name="consensus")
    app.command("agreement")(agreement)


@codings_app.command("import")
def import_(ctx: typer.Context,
            path: Path = typer.Argument(..., help="CSV with columns source, start, end, code, "
                                        "case, salience, memo."),
            coder: str = typer.Option(..., "--coder", help="Whose codings these are.")) -> None:
    """Import one coder's codings (accepted) from CSV; all or nothing, errors name the line.

    Example: exitlens codings import ana.csv --coder ana
    """
    from exitlens.services.codings_io import import_codings

    g = globals_of(ctx)
    with g.store() as store:
        done = import_codings(store, path, coder=coder, actor=g.settings().actor())
    console().print(f"Imported {done['codings']} codings by {coder} ({done['cases']} cases).")


@codings_app.command("export")
def export(ctx: typer.Context,
           coder: str | None = typer.Option(None, "--coder", help="Only this coder's."),
           out: Path | None = typer.Option(None, "--out", "-o", help="File (default: standard "
                                           "output).")) -> None:
    """Export codings as CSV in the import's columns, with coder, status and confidence.

    Example: exitlens codings export --coder ana --out ana.csv
    """
    from exitlens.services.codings_io import export_codings

    with globals_of(ctx).store() as store:
        text = export_codings(store, coder=coder)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console().print(f"Wrote {out}")


def agreement(
    ctx: typer.Context,
    unit: str = typer.Option("source", "--unit", help="source, case, segment (sentence) or "
                             "span (overlapping spans of a code)."),
    coders: str | None = typer.Option(None, "--coders", help="Comma-separated (default: all "
                                      "who coded, or the sample's)."),
    sample: str | None = typer.Option(None, "--sample", help="A sample (number or name): its "
                                      "sources, and its coders, each counted as having "
                                      "coded every source of it."),
    codes: str | None = typer.Option(None, "--codes", help="Comma-separated top-level codes "
                                     "(default: all used)."),
    overlap: float = typer.Option(0.5, "--overlap", help="With --unit span: the share of the "
                                  "shorter span two spans must share to agree."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Resamples for alpha's "
                                  "95% interval (0: none)."),
    machine: bool = typer.Option(False, "--machine", help="Instead: each machine coder "
                                 "against --reference per source, with the state the rule of "
                                 "DOMAIN.md section 7 gives each code."),
    reference: str = typer.Option("consensus", "--reference", help="With --machine: whose "
                                  "accepted codings are the truth (default: consensus)."),
    apply: bool = typer.Option(False, "--apply", help="With --machine: make the states the "
                               "codes' states, which analyze follows (admins)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Agreement between coders per code and overall: Krippendorff's alpha with a bootstrap
    95% interval, Fleiss' kappa, Gwet's AC1, percent agreement and Cohen's kappa per pair.
    With --machine, how far each machine coder agrees with people, and whether each code is
    then automatic (alpha 0.80 and above), a suggestion (0.667 to 0.80) or off.

    Example: exitlens agreement --unit case --coders ana,bo
    """
    from exitlens.services.agreement import agreement as run

    if machine:
        _machine(ctx, reference, apply, as_json)
        return
    with globals_of(ctx).store() as store:
        result = run(store, unit=unit, coders=_split(coders), codes=_split(codes),
                     overlap=overlap, bootstrap=bootstrap, sample=sample)
    if as_json:
        print_json(result)
        return
    _print(result)


def _machine(ctx: typer.Context, reference: str, apply: bool, as_json: bool) -> None:
    from exitlens.services.agreement import machine_trust

    with globals_of(ctx).store() as store:
        result = machine_trust(store, _admin(ctx), reference=reference, apply=apply)
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(f"Machine against {result['reference']} over {result['sources']} sources:")
    for row in result["rows"]:
        out.print(f"  {row['code']:<24} {row['machine']:<16} alpha {_fmt(row['alpha'])}  "
                  f"AC1 {_fmt(row['gwet_ac1'])}  -> {row['state']}")
    out.print("States " + ("applied: analyze follows them." if result["applied"] else
                           "not applied (--apply to apply them)."))


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _fmt(value: Any) -> str:
    return "   -" if value is None else f"{value:5.3f}"


def _print(result: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for name in ("code", "units", "alpha", "95% interval", "Fleiss", "AC1", "agree"):
        table.add_column(name, justify="left" if name == "code" else "right")
    rows = [*result["codes"].items(), ("overall", result["overall"])]
    for code, r in rows:
        if r is None:
            continue
        interval = r["alpha_interval"]
        table.add_row(code, str(r["units"]), _fmt(r["alpha"]),
                      f"{interval[0]:.3f}-{interval[1]:.3f}" if interval else "-",
                      _fmt(r["fleiss_kappa"]), _fmt(r["gwet_ac1"]),
                      _fmt(r["percent_agreement"]))
    out = console()
    out.print(f"Agreement of {', '.join(result['coders'])} per {result['unit']}:")
    out.print(table)
    if result["overall"]:
        for pair, kappa in result["overall"]["cohen_kappa"].items():
            out.print(f"Cohen's kappa {pair}: {_fmt(kappa)}")
    out.print("Alpha 0.800 or more is reliable; 0.667 to 0.800 allows tentative conclusions.")


samples_app = typer.Typer(help="Samples of sources for blind double coding.\n\nExample: "
                               "exitlens samples draw round-1 --size 40 --coders ana,bo",
                          no_args_is_help=True)


@samples_app.command("draw")
def draw(ctx: typer.Context,
         name: str = typer.Argument(..., help="A name for the sample (round)."),
         size: int = typer.Option(..., "--size", min=1, help="How many sources."),
         coders: str = typer.Option(..., "--coders", help="Comma-separated accounts."),
         stratify: str | None = typer.Option(None, "--stratify", help="Draw in proportion "
                                             "to: language, medium, outlet or relevant."),
         seed: int = typer.Option(0, "--seed", help="Random seed (the same seed draws the "
                                  "same sample)."),
         blind: bool = typer.Option(True, "--blind/--open", help="Blind (default): each "
                                    "coder sees only their own codings on these sources "
                                    "until the sample is closed.")) -> None:
    """Draw sources (not those screened out) at random, or stratified, and assign them to
    two or more coders.

    Example: exitlens samples draw round-1 --size 40 --coders ana,bo --stratify language
    """
    from exitlens.services.samples import draw_sample

    with globals_of(ctx).store() as store:
        drawn = draw_sample(store, _admin(ctx), name=name, size=size,
                            coders=_split(coders) or [], blind=blind, seed=seed,
                            stratify=stratify)
    console().print(f"Sample {drawn['id']} '{name}': {len(drawn['sources'])} sources for "
                    f"{', '.join(drawn['coders'])}{' (blind)' if blind else ''}.")


@samples_app.command("list")
def list_samples(ctx: typer.Context,
                 as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List samples with their coders, sources and whether they are still open.

    Example: exitlens samples list
    """
    from exitlens.services.samples import list_samples as run

    with globals_of(ctx).store() as store:
        samples = run(store)
    if as_json:
        print_json(samples)
        return
    for s in samples:
        state = "closed" if s["closed_at"] else ("open, blind" if s["blind"] else "open")
        console().print(f"{s['id']:>3} {s['name']:<20} {len(s['sources']):>4} sources  "
                        f"{', '.join(s['coders'])}  ({state})")


@samples_app.command("close")
def close(ctx: typer.Context,
          sample: str = typer.Argument(..., help="The sample's number or name.")) -> None:
    """Close a sample: its coders see each other's codings again.

    Example: exitlens samples close round-1
    """
    from exitlens.services.samples import close_sample, find_sample

    with globals_of(ctx).store() as store:
        found = find_sample(store, sample)
        close_sample(store, _admin(ctx), found["id"])
    console().print(f"Sample {found['id']} '{found['name']}' closed.")


consensus_app = typer.Typer(help="Reconcile coders: list the units where they differ, decide "
                                 "the consensus, adopt what they agree on.\n\nExample: "
                                 "exitlens consensus list --sample round-1",
                            no_args_is_help=True)
SAMPLE = typer.Option(None, "--sample", help="A closed sample (number or name): its coders on "
                      "its sources.")
CODERS = typer.Option(None, "--coders", help="Comma-separated coders (default: the sample's, "
                      "or every person who coded).")
OVERLAP = typer.Option(0.5, "--overlap", help="The share of the shorter span two spans must "
                       "share to be one unit.")


@consensus_app.command("list")
def consensus_list(ctx: typer.Context, sample: str | None = SAMPLE,
                   coders: str | None = CODERS,
                   code: str | None = typer.Option(None, "--code", help="Only this top-level "
                                                   "code."),
                   state: str = typer.Option("open", "--state", help="open (coders differ, "
                                             "undecided), decided, agreed or all."),
                   overlap: float = OVERLAP,
                   as_json: bool = typer.Option(False, "--json", help="Print as JSON.")
                   ) -> None:
    """List units (overlapping spans of a code on a source) with each coder's marks.

    Example: exitlens consensus list --sample round-1 --state open
    """
    from exitlens.services.consensus import units

    with globals_of(ctx).store() as store:
        found = units(store, _admin(ctx), sample=sample, coders=_split(coders), code=code,
                      state=state, overlap=overlap)
    if as_json:
        print_json(found)
        return
    out = console()
    c = found["counts"]
    out.print(f"{c['units']} units of {', '.join(found['coders'])}: {c['agreed']} agreed, "
              f"{c['differ']} differ, {c['decided']} decided, {c['open']} open.")
    for u in found["units"]:
        out.print(f"\nsource {u['source_id']} {u['code']} {u['start']}-{u['end']}"
                  f"{' (differ: ' + u['differ'] + ')' if u['differ'] else ''}", markup=False)
        for coder, marks in u["marks"].items():
            said = "; ".join(f"#{m['id']} {m['code']} {m['start']}-{m['end']}"
                             f"{' ' + m['case'] if m['case'] else ''}" for m in marks)
            out.print(f"  {coder:<14} {said or 'did not mark it'}", markup=False)
        for d in u["decision"]:
            out.print(f"  consensus      #{d['id']} {d['status']} {d['code']} by "
                      f"{d['decided_by']} at {d['decided_at'][:16]}", markup=False)


@consensus_app.command("decide")
def consensus_decide(ctx: typer.Context,
                     source: int = typer.Option(..., "--source", help="The source's number."),
                     code: str = typer.Option(..., "--code", help="The unit's top-level code."),
                     span: str = typer.Option(..., "--span", help="The unit's START-END, as "
                                              "`consensus list` shows it."),
                     take: int | None = typer.Option(None, "--take", help="The coding (#) "
                                                     "whose span, code and case are right."),
                     absent: bool = typer.Option(False, "--absent", help="The code is not "
                                                 "there."),
                     memo: str | None = typer.Option(None, "--memo", help="Why."),
                     sample: str | None = SAMPLE, coders: str | None = CODERS,
                     overlap: float = OVERLAP) -> None:
    """Decide a unit: take one coder's coding, or rule the code absent.

    Example: exitlens consensus decide --sample round-1 --source 12 --code corruption
    --span 140-388 --take 5031
    """
    from exitlens.services.consensus import decide

    start, _, end = span.partition("-")
    if not (start.isdigit() and end.isdigit()):
        raise typer.BadParameter("give the span as START-END, e.g. 140-388", param_hint="--span")
    with globals_of(ctx).store() as store:
        done = decide(store, _admin(ctx), source_id=source, code=code, start=int(start),
                      end=int(end), take=take, absent=absent, memo=memo, sample=sample,
                      coders=_split(coders), overlap=overlap)
    console().print(f"Consensus #{done['id']}: {done['code']} {done['status']} on source "
                    f"{source} (replaced {done['replaced']}, adopted {done['adopted']} agreed "
                    "units with it).")


@consensus_app.command("adopt")
def consensus_adopt(ctx: typer.Context, sample: str | None = SAMPLE,
                    coders: str | None = CODERS, overlap: float = OVERLAP) -> None:
    """Take every unit the coders agree on into the consensus.

    Example: exitlens consensus adopt --sample round-1
    """
    from exitlens.services.consensus import adopt

    with globals_of(ctx).store() as store:
        done = adopt(store, _admin(ctx), sample=sample, coders=_split(coders),
                     overlap=overlap)
    console().print(f"Adopted {done['adopted']} agreed units into the consensus.")


@consensus_app.command("withdraw")
def consensus_withdraw(ctx: typer.Context,
                       coding: int = typer.Argument(..., help="The consensus coding (#).")
                       ) -> None:
    """Take a consensus decision back.

    Example: exitlens consensus withdraw 5120
    """
    from exitlens.services.consensus import withdraw

    with globals_of(ctx).store() as store:
        withdraw(store, _admin(ctx), coding)
    console().print(f"Consensus #{coding} withdrawn.")


def _admin(ctx: typer.Context) -> Any:
    """The shell is the project's administrator: whoever can open its database."""
    from exitlens.services.users import User

    return User(0, globals_of(ctx).settings().actor(), "admin")
