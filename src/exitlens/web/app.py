"""The FastAPI app: sign-in, sessions and CSRF, source list and reader, and the JSON API.

No `from __future__ import annotations` here: FastAPI reads the annotations of the handlers,
which name dependencies local to `create_app`.

Handlers parse the request, call one service and render; permissions are `User.can`. Nothing
but the sign-in page and the static files answers without a session.
"""


import secrets
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Body, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from pydantic import BaseModel, Field

from exitlens import __version__
from exitlens.aggregate.agreement import UNITS
from exitlens.errors import (
    ConflictError,
    ExitLensError,
    NotFoundError,
    PermissionDenied,
    StoreError,
    UsageError,
)
from exitlens.records import CONSENSUS
from exitlens.services import activity, consensus
from exitlens.services import cases as case_service
from exitlens.services import coding as coding_service
from exitlens.services.agreement import agreement, code_states, machine_trust
from exitlens.services.codebooks import active_codebook, edit_codebook
from exitlens.services.samples import (
    STRATA,
    close_sample,
    draw_sample,
    hidden_from,
    list_samples,
    visible,
)
from exitlens.services.sources import (
    browse_sources,
    get_source,
    list_cases,
    source_cases,
    source_codings,
)
from exitlens.services.users import (
    Session,
    SignInError,
    csrf_matches,
    list_users,
    session_of,
    sign_in,
    sign_out,
)
from exitlens.storage import Store
from exitlens.web.reader import text_pieces

COOKIE = "exitlens_session"
LOGIN_COOKIE = "exitlens_login"
PAGE_SIZE = 50
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
REVIEW_PAGE = 20
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


#: most specific first: the first class an error is an instance of decides
ERROR_STATUS: dict[type[Exception], tuple[int, str]] = {
    NotFoundError: (404, "Not found"), PermissionDenied: (403, "Not allowed"),
    ConflictError: (409, "Changed meanwhile"), ExitLensError: (400, "Cannot do that")}


class SignInRequired(Exception):
    def __init__(self, path: str) -> None:
        self.path = path


def create_app(store: Store, *, project: str, secure_cookies: bool | None = None) -> FastAPI:
    """The app over ``store``. Cookies are Secure when the request came over HTTPS (behind a
    proxy: run uvicorn with --proxy-headers), or always/never when ``secure_cookies`` says."""
    app = FastAPI(title="ExitLens", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.mount("/static", StaticFiles(packages=[("exitlens.web", "static")]), name="static")
    pages = Environment(loader=PackageLoader("exitlens.web", "templates"), autoescape=True,
                        trim_blocks=True, lstrip_blocks=True)

    def render(request: Request, name: str, status_code: int = 200,
               **context: Any) -> HTMLResponse:
        html = pages.get_template(name).render(request=request, project=project,
                                               version=__version__, **context)
        return HTMLResponse(html, status_code=status_code)

    def secure(request: Request) -> bool:
        return request.url.scheme == "https" if secure_cookies is None else secure_cookies

    def page_session(request: Request) -> Session:
        found = session_of(store, request.cookies.get(COOKIE))
        if found is None:
            raise SignInRequired(request.url.path + (f"?{request.url.query}"
                                                     if request.url.query else ""))
        return found

    def api_session(request: Request) -> Session:
        found = session_of(store, request.cookies.get(COOKIE))
        if found is None:
            raise HTTPException(401, "sign in first (POST /login)")
        return found

    async def checked_session(request: Request) -> Session:
        """A session whose CSRF token the request echoes (form field or X-CSRF-Token)."""
        found = api_session(request)
        given = request.headers.get("x-csrf-token")
        if given is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            given = str((await request.form()).get("csrf", ""))
        if not csrf_matches(found, given):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return found

    PageUser = Annotated[Session, Depends(page_session)]
    ApiUser = Annotated[Session, Depends(api_session)]
    CheckedUser = Annotated[Session, Depends(checked_session)]

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.path, safe='')}", status_code=303)

    async def refused(request: Request, exc: Exception) -> Response:
        """The service's own error as JSON for the API, as a page for people."""
        status, heading = next(v for k, v in ERROR_STATUS.items() if isinstance(exc, k))
        if request.url.path.startswith("/api/") or status in (400, 409):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return render(request, "error.html", status, message=str(exc), session=None,
                      heading=heading)

    for error in ERROR_STATUS:
        app.add_exception_handler(error, refused)

    # -- signing in ----------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/sources") -> Response:
        token = secrets.token_urlsafe(24)
        response = render(request, "login.html", csrf=token, next=_local(next), error=None,
                          session=None)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict",
                            secure=secure(request), max_age=3600)
        return response

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        given, expected = str(form.get("csrf", "")), request.cookies.get(LOGIN_COOKIE, "")
        target = _local(str(form.get("next", "/sources")))
        if not expected or not secrets.compare_digest(given, expected):
            raise HTTPException(403, "the sign-in form expired; reload the page")
        try:
            opened = sign_in(store, str(form.get("username", "")).strip(),
                             str(form.get("password", "")),
                             client=request.client.host if request.client else "unknown")
        except SignInError as exc:
            return render(request, "login.html", 401, csrf=expected, next=target,
                          error=str(exc), session=None)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, opened.token, httponly=True, samesite="lax",
                            secure=secure(request),
                            max_age=int((opened.expires_at - datetime.now(UTC)).total_seconds()))
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(session: CheckedUser) -> Response:
        sign_out(store, session)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # -- pages ---------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home(session: PageUser) -> Response:
        return RedirectResponse("/sources", status_code=303)

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request, session: PageUser,
                     filters: Annotated[SourceFilters, Depends()]) -> Response:
        rows, total = _browse(store, session, filters)
        pages_total = max(1, -(-total // PAGE_SIZE))
        link = {k: v for k, v in filters.query().items() if k != "page"}
        return render(request, "sources.html", session=session, rows=rows, total=total,
                      filters=filters, page=filters.page, pages=pages_total,
                      samples=list_samples(store),
                      link=lambda page: "/sources?" + urlencode({**link, "page": page}))

    @app.get("/sources/{source_id}", response_class=HTMLResponse, include_in_schema=False)
    def source_page(request: Request, session: PageUser, source_id: Id) -> Response:
        source = get_source(store, source_id)
        blind = source_id in hidden_from(store, session.user)
        codings = [c for c in visible(source_codings(store, source_id), session.user, blind)
                   if c["status"] != "rejected"]
        for c in codings:
            c["top"] = c["code"].split(".")[0]
        cases = source_cases(store, source_id)
        return render(request, "source.html", session=session, source=source, blind=blind,
                      pieces=text_pieces(source.text, codings), codings=codings, cases=cases,
                      codes=_codes(store), can_code=session.user.can("code"))

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_page(request: Request, session: PageUser,
                    page: int = Query(1, ge=1, le=100_000),
                    code: str | None = Query(None, max_length=200)) -> Response:
        items, total = coding_service.review_queue(store, session.user, limit=REVIEW_PAGE,
                                                   offset=(page - 1) * REVIEW_PAGE, code=code)
        return render(request, "review.html", session=session, items=items, total=total,
                      page=page, code=code or "", codes=_codes(store),
                      can_code=session.user.can("code"))

    @app.post("/review/{coding_id}", include_in_schema=False)
    async def review_form(request: Request, session: CheckedUser, coding_id: Id) -> Response:
        form = await request.form()
        code, case = (str(form.get(k, "")).strip() or None for k in ("code", "case"))
        coding_service.decide(store, session.user, coding_id, str(form.get("decision", "")),
                              code=code, case=case)
        return RedirectResponse(_local(str(form.get("back") or "/review")), status_code=303)

    @app.get("/codes.css", include_in_schema=False)
    def code_colours(session: PageUser) -> Response:
        """Each code's colour as a class, so pages need no inline styles (CSP)."""
        rules = [f".c-{code} {{ --c: {colour}; }}" for code, colour in _colours(store).items()]
        return Response("\n".join([":root { --c: #c8c8c8; }", *rules]) + "\n",
                        media_type="text/css")

    @app.get("/cases", response_class=HTMLResponse, include_in_schema=False)
    def cases_page(request: Request, session: PageUser,
                   page: int = Query(1, ge=1, le=100_000)) -> Response:
        rows, total = list_cases(store, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        return render(request, "cases.html", session=session, rows=rows, total=total,
                      page=page, pages=max(1, -(-total // PAGE_SIZE)))

    @app.get("/cases/{pseudonym}", response_class=HTMLResponse, include_in_schema=False)
    def case_page(request: Request, session: PageUser, pseudonym: str) -> Response:
        case = case_service.get_case(store, session.user, pseudonym)
        identity = (case_service.case_identity(store, session.user, pseudonym)
                    if session.user.can("admin") else None)
        return render(request, "case.html", session=session, case=case, identity=identity,
                      choices=case_service.CHOICES, can_code=session.user.can("code"),
                      message=request.query_params.get("message"))

    @app.post("/cases/{pseudonym}", include_in_schema=False)
    async def case_form(request: Request, session: CheckedUser, pseudonym: str) -> Response:
        form = await request.form()
        action = str(form.get("action", "update"))
        target = pseudonym
        if action == "merge":
            case_service.merge_cases(store, session.user, pseudonym, str(form.get("other", "")))
        elif action == "identity":
            case_service.update_identity(store, session.user, pseudonym, {
                k: (str(form.get(k, "")) if k == "notes" else
                    str(form.get(k, "")).splitlines()) for k in case_service.IDENTITY
                if k in form})
        else:
            changes: dict[str, Any] = {k: str(v) for k, v in form.items()
                                       if k in case_service.EDITABLE}
            if "birth_year" in changes:
                year = changes["birth_year"].strip()
                changes["birth_year"] = int(year) if year.isdigit() else (year or None)
            changes["collective"] = form.get("collective") == "on"
            case_service.update_case(store, session.user, pseudonym, changes)
        return RedirectResponse(f"/cases/{quote(target)}?message=saved", status_code=303)

    @app.get("/activity", response_class=HTMLResponse, include_in_schema=False)
    def activity_page(request: Request, session: PageUser,
                      filters: Annotated[EventFilters, Depends()]) -> Response:
        events, total = activity.list_events(store, session.user, **filters.service(),
                                             limit=PAGE_SIZE,
                                             offset=(filters.page - 1) * PAGE_SIZE)
        link = {k: v for k, v in vars(filters).items() if v and k != "page"}
        return render(request, "activity.html", session=session, events=events, total=total,
                      filters=filters, page=filters.page,
                      pages=max(1, -(-total // PAGE_SIZE)),
                      link=lambda page: "/activity?" + urlencode({**link, "page": page}))

    @app.get("/codebook", response_class=HTMLResponse, include_in_schema=False)
    def codebook_page(request: Request, session: PageUser) -> Response:
        book = active_codebook(store)
        return render(request, "codebook.html", session=session, book=book,
                      codes=book.flat_codes(), specs={c.id: book.find(c.id)
                                                      for c in book.flat_codes()},
                      is_admin=session.user.can("admin"), states=code_states(store),
                      message=request.query_params.get("message"))

    @app.post("/codebook", include_in_schema=False)
    async def codebook_form(request: Request, session: CheckedUser) -> Response:
        form = await request.form()
        args = {k: str(v) for k, v in form.items() if k not in ("csrf", "operation")}
        done = edit_codebook(store, session.user, str(form.get("operation", "")), args)
        return RedirectResponse(f"/codebook?message=version+{done['version']}",
                                status_code=303)

    # -- team: samples, agreement, reconciling --------------------------------------------

    @app.get("/samples", response_class=HTMLResponse, include_in_schema=False)
    def samples_page(request: Request, session: PageUser) -> Response:
        people = [u for u in list_users(store) if u["active"] and u["role"] != "viewer"] \
            if session.user.can("admin") else []
        return render(request, "samples.html", session=session, samples=list_samples(store),
                      people=people, strata=STRATA, is_admin=session.user.can("admin"),
                      message=request.query_params.get("message"))

    def form_refused(request: Request, session: Session, exc: ExitLensError,
                     back: str) -> Response:
        """A form the service refused: the reason, as a page with the way back."""
        return render(request, "error.html", 400, message=str(exc), session=session,
                      heading="Cannot do that", back=back)

    @app.post("/samples", include_in_schema=False)
    async def samples_form(request: Request, session: CheckedUser) -> Response:
        form = await request.form()
        size, seed = (str(form.get(k, "")).strip() for k in ("size", "seed"))
        try:
            if not size.isdigit() or not (seed or "0").isdigit():
                raise UsageError("size and seed are whole numbers")
            drawn = draw_sample(store, session.user, name=str(form.get("name", "")).strip()
                                or f"round-{len(list_samples(store)) + 1}", size=int(size),
                                coders=[str(c) for c in form.getlist("coders")],
                                blind=form.get("blind") == "on", seed=int(seed or 0),
                                stratify=str(form.get("stratify", "")) or None)
        except (UsageError, StoreError) as exc:
            return form_refused(request, session, exc, "/samples")
        return RedirectResponse(f"/samples?message={quote(drawn['name'])}+drawn",
                                status_code=303)

    @app.post("/samples/{sample_id}/close", include_in_schema=False)
    def samples_close(session: CheckedUser, sample_id: Id) -> Response:
        close_sample(store, session.user, sample_id)
        return RedirectResponse("/samples?message=closed", status_code=303)

    @app.get("/agreement", response_class=HTMLResponse, include_in_schema=False)
    def agreement_page(request: Request, session: PageUser,
                       filters: Annotated[AgreementFilters, Depends()]) -> Response:
        result, problem = None, None
        try:
            result = agreement(store, **filters.service(), user=session.user)
        except ExitLensError as exc:
            problem = str(exc)
        machine, machine_problem = None, None
        try:
            machine = machine_trust(store, session.user, reference=filters.reference)
        except ExitLensError as exc:
            machine_problem = str(exc)
        return render(request, "agreement.html", session=session, result=result,
                      problem=problem, machine=machine, machine_problem=machine_problem,
                      filters=filters, units=UNITS,
                      samples=list_samples(store), is_admin=session.user.can("admin"),
                      states=code_states(store), message=request.query_params.get("message"))

    @app.post("/agreement/apply", include_in_schema=False)
    async def agreement_apply(request: Request, session: CheckedUser) -> Response:
        form = await request.form()
        reference = str(form.get("reference", "")) or CONSENSUS
        machine_trust(store, session.user, reference=reference, apply=True)
        return RedirectResponse(f"/agreement?reference={quote(reference)}&message=applied",
                                status_code=303)

    @app.get("/reconcile", response_class=HTMLResponse, include_in_schema=False)
    def reconcile_page(request: Request, session: PageUser,
                       filters: Annotated[ReconcileFilters, Depends()]) -> Response:
        found, problem = None, None
        try:
            found = consensus.units(store, session.user, **filters.service(),
                                    limit=REVIEW_PAGE, offset=(filters.page - 1) * REVIEW_PAGE)
        except ExitLensError as exc:
            problem = str(exc)
        link = {k: v for k, v in filters.query().items() if k != "page"}
        return render(request, "reconcile.html", session=session, found=found,
                      problem=problem, filters=filters, states=consensus.STATES,
                      samples=list_samples(store), codes=_codes(store),
                      can_code=session.user.can("code"), back=filters.path(),
                      message=request.query_params.get("message"),
                      link=lambda page: "/reconcile?" + urlencode({**link, "page": page}))

    @app.post("/reconcile", include_in_schema=False)
    async def reconcile_form(request: Request, session: CheckedUser) -> Response:
        form = await request.form()
        back = _local(str(form.get("back") or "/reconcile"))
        action = str(form.get("action", ""))
        try:
            scope = _scope_form(form)
            if action == "adopt":
                done = consensus.adopt(store, session.user, **scope)
                message = f"adopted {done['adopted']} agreed units"
            elif action == "withdraw":
                consensus.withdraw(store, session.user, _whole(form.get("coding"), "coding"))
                message = "decision withdrawn"
            else:
                take = str(form.get("take", ""))
                consensus.decide(store, session.user, **scope,
                                 source_id=_whole(form.get("source_id"), "source_id"),
                                 code=str(form.get("code", "")),
                                 start=_whole(form.get("start"), "start"),
                                 end=_whole(form.get("end"), "end"),
                                 take=_whole(take, "take") if take else None,
                                 absent=take == "", memo=str(form.get("memo", "")) or None)
                message = "decided"
        except UsageError as exc:
            return form_refused(request, session, exc, back)
        joiner = "&" if "?" in back else "?"
        return RedirectResponse(f"{back}{joiner}message={quote(message)}", status_code=303)

    # -- JSON API ------------------------------------------------------------------------

    @app.get("/api/me", tags=["session"])
    def me(session: ApiUser) -> dict[str, Any]:
        """Who is signed in, with the CSRF token state-changing calls must send."""
        return {"user": asdict(session.user), "csrf": session.csrf,
                "expires_at": session.expires_at.isoformat()}

    @app.get("/api/sources", tags=["sources"])
    def api_sources(session: ApiUser, filters: Annotated[SourceFilters, Depends()]
                    ) -> dict[str, Any]:
        """Sources with filters and paging (50 a page), with their counts of codings."""
        rows, total = _browse(store, session, filters)
        return {"total": total, "page": filters.page, "page_size": PAGE_SIZE, "sources": rows}

    @app.get("/api/sources/{source_id}", tags=["sources"])
    def api_source(session: ApiUser, source_id: Id) -> dict[str, Any]:
        """A source's metadata, text and codings (cases by pseudonym)."""
        source = get_source(store, source_id)
        blind = source_id in hidden_from(store, session.user)
        return {"source": asdict(source), "blind": blind,
                "codings": visible(source_codings(store, source_id), session.user, blind)}

    @app.get("/api/sources/{source_id}/cases", tags=["cases"])
    def api_source_cases(session: ApiUser, source_id: Id) -> list[dict[str, Any]]:
        """The cases a source describes (pseudonyms and unrestricted attributes)."""
        get_source(store, source_id)
        return source_cases(store, source_id)

    @app.get("/api/codebook", tags=["codebook"])
    def api_codebook(session: ApiUser) -> list[dict[str, Any]]:
        """The active codebook's codes, for pickers."""
        return _codes(store)

    @app.post("/api/codings", tags=["coding"], status_code=201)
    def api_add_coding(session: CheckedUser, body: NewCoding) -> dict[str, Any]:
        """Code a span (accepted, by the signed-in person). ``case``: a pseudonym, "new" for a
        new case, or null."""
        return coding_service.add_coding(store, session.user, **body.model_dump())

    @app.patch("/api/codings/{coding_id}", tags=["coding"])
    def api_update_coding(session: CheckedUser, coding_id: Id,
                          body: CodingChange) -> dict[str, Any]:
        """Change a coding's code, case, salience, memo or span."""
        return coding_service.update_coding(store, session.user, coding_id,
                                            **body.model_dump(exclude_unset=True))

    @app.delete("/api/codings/{coding_id}", tags=["coding"])
    def api_delete_coding(session: CheckedUser, coding_id: Id) -> dict[str, Any]:
        return coding_service.delete_coding(store, session.user, coding_id)

    @app.post("/api/undo", tags=["coding"])
    def api_undo(session: CheckedUser) -> dict[str, Any]:
        """Take back your last add, change or delete of a coding."""
        return coding_service.undo(store, session.user)

    @app.get("/api/review", tags=["review"])
    def api_review(session: ApiUser, page: int = Query(1, ge=1, le=100_000),
                   code: str | None = Query(None, max_length=200)) -> dict[str, Any]:
        """Machine suggestions, least certain first, with evidence and surrounding text."""
        items, total = coding_service.review_queue(store, session.user, limit=REVIEW_PAGE,
                                                   offset=(page - 1) * REVIEW_PAGE, code=code)
        return {"total": total, "page": page, "items": items}

    @app.post("/api/codings/{coding_id}/decision", tags=["review"])
    def api_decide(session: CheckedUser, coding_id: Id,
                   body: Annotated[Decision, Body()]) -> dict[str, Any]:
        """Accept, reject or correct a suggestion (409 if someone decided it first)."""
        return coding_service.decide(store, session.user, coding_id, **body.model_dump())

    @app.get("/api/cases", tags=["cases"])
    def api_cases(session: ApiUser, page: int = Query(1, ge=1, le=100_000)) -> dict[str, Any]:
        """Cases by pseudonym with unrestricted attributes, sources and codes (50 a page)."""
        rows, total = list_cases(store, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        return {"total": total, "page": page, "cases": rows}

    @app.get("/api/cases/{pseudonym}", tags=["cases"])
    def api_case(session: ApiUser, pseudonym: str) -> dict[str, Any]:
        return case_service.get_case(store, session.user, pseudonym)

    @app.patch("/api/cases/{pseudonym}", tags=["cases"])
    def api_update_case(session: CheckedUser, pseudonym: str,
                        body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        """Change unrestricted attributes (DOMAIN.md section 5); checked, logged."""
        return case_service.update_case(store, session.user, pseudonym, body)

    @app.get("/api/cases/{pseudonym}/identity", tags=["cases"])
    def api_identity(session: ApiUser, pseudonym: str) -> dict[str, Any]:
        """Restricted fields: admins only; the read is logged."""
        return case_service.case_identity(store, session.user, pseudonym)

    @app.patch("/api/cases/{pseudonym}/identity", tags=["cases"])
    def api_update_identity(session: CheckedUser, pseudonym: str,
                            body: Identity) -> dict[str, str]:
        """Change restricted fields: admins only; logged without the values."""
        case_service.update_identity(store, session.user, pseudonym,
                                     body.model_dump(exclude_unset=True))
        return {"status": "saved"}

    @app.post("/api/cases/{pseudonym}/merge", tags=["cases"])
    def api_merge(session: CheckedUser, pseudonym: str, body: Merge) -> dict[str, Any]:
        """Merge case ``other`` into this one: its codings and sources follow."""
        return case_service.merge_cases(store, session.user, pseudonym, body.other)

    @app.get("/api/activity", tags=["activity"])
    def api_activity(session: ApiUser, filters: Annotated[EventFilters, Depends()]
                     ) -> dict[str, Any]:
        """The audit log, newest first, filtered (admins only)."""
        events, total = activity.list_events(store, session.user, **filters.service(),
                                             limit=PAGE_SIZE,
                                             offset=(filters.page - 1) * PAGE_SIZE)
        return {"total": total, "page": filters.page, "events": events}

    @app.post("/api/codebook/edits", tags=["codebook"])
    def api_edit_codebook(session: CheckedUser, body: CodebookEdit) -> dict[str, Any]:
        """Add, rename, move or merge codes as a new codebook version (admins only); codings
        follow moved and merged codes."""
        return edit_codebook(store, session.user, body.operation,
                             body.model_dump(exclude={"operation"}, exclude_none=True))

    @app.get("/api/samples", tags=["team"])
    def api_samples(session: ApiUser) -> list[dict[str, Any]]:
        """Samples with their sources, coders and whether they are open."""
        return list_samples(store)

    @app.post("/api/samples", tags=["team"], status_code=201)
    def api_draw(session: CheckedUser, body: NewSample) -> dict[str, Any]:
        """Draw a sample and assign it to two or more coders (admins only)."""
        return draw_sample(store, session.user, **body.model_dump())

    @app.post("/api/samples/{sample_id}/close", tags=["team"])
    def api_close(session: CheckedUser, sample_id: Id) -> dict[str, str]:
        """Close a sample: its coders see each other's codings again (admins only)."""
        close_sample(store, session.user, sample_id)
        return {"status": "closed"}

    @app.get("/api/agreement", tags=["team"])
    def api_agreement(session: ApiUser, filters: Annotated[AgreementFilters, Depends()]
                      ) -> dict[str, Any]:
        """Agreement per code and overall (alpha with its interval, kappas, AC1)."""
        return agreement(store, **filters.service(), user=session.user)

    @app.get("/api/agreement/machine", tags=["team"])
    def api_machine(session: ApiUser,
                    reference: str = Query(CONSENSUS, min_length=1, max_length=200)
                    ) -> dict[str, Any]:
        """Each machine coder against the reference per code, with the state the rule gives."""
        return machine_trust(store, session.user, reference=reference)

    @app.get("/api/reconcile", tags=["team"])
    def api_reconcile(session: ApiUser, filters: Annotated[ReconcileFilters, Depends()]
                      ) -> dict[str, Any]:
        """Units of a closed sample (or of coders) in a state, 20 a page, with the text."""
        return consensus.units(store, session.user, **filters.service(), limit=REVIEW_PAGE,
                               offset=(filters.page - 1) * REVIEW_PAGE)

    @app.post("/api/consensus", tags=["team"], status_code=201)
    def api_decide_consensus(session: CheckedUser, body: ConsensusDecision) -> dict[str, Any]:
        """Decide a unit: take a coder's coding (``take``) or rule the code ``absent``."""
        return consensus.decide(store, session.user, **body.model_dump())

    @app.post("/api/consensus/adopt", tags=["team"])
    def api_adopt(session: CheckedUser, body: ConsensusScope) -> dict[str, Any]:
        """Take every unit the coders agree on into the consensus."""
        return consensus.adopt(store, session.user, **body.model_dump())

    @app.delete("/api/consensus/{coding_id}", tags=["team"])
    def api_withdraw(session: CheckedUser, coding_id: Id) -> dict[str, Any]:
        """Take a consensus decision back."""
        return consensus.withdraw(store, session.user, coding_id)

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(session: ApiUser) -> dict[str, Any]:
        return app.openapi()

    return app


class NewCoding(BaseModel):
    source_id: int = Field(ge=1, le=2_147_483_647)
    start: int = Field(ge=0, le=2_147_483_647)
    end: int = Field(ge=1, le=2_147_483_647)
    code: str = Field(min_length=1, max_length=200)
    case: str | None = Field(None, max_length=40)
    salience: int | None = Field(None, ge=1, le=3)
    memo: str | None = Field(None, max_length=10_000)


class CodingChange(BaseModel):
    start: int | None = Field(None, ge=0, le=2_147_483_647)
    end: int | None = Field(None, ge=1, le=2_147_483_647)
    code: str | None = Field(None, min_length=1, max_length=200)
    case: str | None = Field(None, max_length=40)
    salience: int | None = Field(None, ge=1, le=3)
    memo: str | None = Field(None, max_length=10_000)


class Decision(BaseModel):
    decision: str = Field(pattern="^(accept|reject|correct)$")
    code: str | None = Field(None, min_length=1, max_length=200)
    case: str | None = Field(None, max_length=40)
    start: int | None = Field(None, ge=0, le=2_147_483_647)
    end: int | None = Field(None, ge=1, le=2_147_483_647)


Coders = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]],
                   Field(min_length=2, max_length=20)]


class NewSample(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    size: int = Field(ge=1, le=1_000_000)
    coders: Coders
    blind: bool = True
    seed: int = Field(0, ge=0, le=2_147_483_647)
    stratify: str | None = Field(None, pattern="^(language|medium|outlet|relevant)$")


class ConsensusScope(BaseModel):
    sample: str | None = Field(None, min_length=1, max_length=200)
    coders: Coders | None = None
    overlap: float = Field(0.5, gt=0, le=1)


class ConsensusDecision(ConsensusScope):
    source_id: int = Field(ge=1, le=2_147_483_647)
    code: str = Field(min_length=1, max_length=200)
    start: int = Field(ge=0, le=2_147_483_647)
    end: int = Field(ge=1, le=2_147_483_647)
    take: int | None = Field(None, ge=1, le=2_147_483_647)
    absent: bool = False
    memo: str | None = Field(None, max_length=10_000)


class Identity(BaseModel):
    names: list[str] | None = Field(None, max_length=50)
    aliases: list[str] | None = Field(None, max_length=50)
    exact_places: list[str] | None = Field(None, max_length=50)
    photo_refs: list[str] | None = Field(None, max_length=50)
    notes: str | None = Field(None, max_length=10_000)


class CodebookEdit(BaseModel):
    operation: str = Field(pattern="^(add|rename|move|merge)$")
    id: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$", max_length=60)
    code: str | None = Field(None, max_length=200)
    name: str | None = Field(None, min_length=1, max_length=300)
    definition: str | None = Field(None, min_length=1, max_length=5000)
    parent: str | None = Field(None, max_length=200)
    into: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, pattern="^(reason|context)$")


class Merge(BaseModel):
    other: str = Field(min_length=1, max_length=40)


class EventFilters:
    """The activity page's filters."""

    def __init__(self, actor: str | None = Query(None, max_length=200),
                 action: str | None = Query(None, max_length=60, description="An action, or "
                                            "a family ending in '.' such as 'coding.'"),
                 entity: str | None = Query(None, max_length=40),
                 entity_id: str | None = Query(None, max_length=60),
                 since: str | None = Query(None, pattern=r"^\d{4}-\d{2}-\d{2}$"),
                 page: int = Query(1, ge=1, le=100_000)) -> None:
        self.actor, self.action, self.entity, self.entity_id, self.since, self.page = (
            actor or None, action or None, entity or None, entity_id or None, since or None,
            page)

    def service(self) -> dict[str, Any]:
        try:
            since = (datetime.strptime(self.since, "%Y-%m-%d").replace(tzinfo=UTC)
                     if self.since else None)
        except ValueError as exc:
            raise HTTPException(422, f"since: '{self.since}' is not a date") from exc
        return {"actor": self.actor, "action": self.action, "entity": self.entity,
                "entity_id": self.entity_id, "since": since}


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] or None if value else None


class AgreementFilters:
    """The agreement page's choices, from the query string."""

    def __init__(self, unit: str = Query("source", pattern="^(source|case|segment|span)$"),
                 coders: str | None = Query(None, max_length=1000, description="Comma-"
                                            "separated coders (default: every person)."),
                 codes: str | None = Query(None, max_length=2000),
                 sample: str | None = Query(None, max_length=200),
                 overlap: float = Query(0.5, gt=0, le=1),
                 reference: str = Query(CONSENSUS, min_length=1, max_length=200,
                                        description="The machine is compared with it.")
                 ) -> None:
        self.unit, self.coders, self.codes, self.sample, self.overlap, self.reference = (
            unit, coders or None, codes or None, sample or None, overlap, reference)

    def service(self) -> dict[str, Any]:
        return {"unit": self.unit, "coders": _split(self.coders), "codes": _split(self.codes),
                "sample": self.sample, "overlap": self.overlap, "bootstrap": 1000}


class ReconcileFilters:
    """The reconcile page's choices, from the query string."""

    def __init__(self, sample: str | None = Query(None, max_length=200),
                 coders: str | None = Query(None, max_length=1000),
                 code: str | None = Query(None, max_length=200),
                 state: str = Query("open", pattern="^(open|decided|agreed|all)$"),
                 overlap: float = Query(0.5, gt=0, le=1),
                 page: int = Query(1, ge=1, le=100_000)) -> None:
        self.sample, self.coders, self.code, self.state, self.overlap, self.page = (
            sample or None, coders or None, code or None, state, overlap, page)

    def service(self) -> dict[str, Any]:
        return {"sample": self.sample, "coders": _split(self.coders), "code": self.code,
                "state": self.state, "overlap": self.overlap}

    def query(self) -> dict[str, Any]:
        return {k: v for k, v in (("sample", self.sample), ("coders", self.coders),
                                  ("code", self.code), ("state", self.state),
                                  ("overlap", self.overlap if self.overlap != 0.5 else None),
                                  ("page", self.page)) if v}

    def path(self) -> str:
        return "/reconcile?" + urlencode(self.query())


def _scope_form(form: Any) -> dict[str, Any]:
    overlap = str(form.get("overlap", "") or "0.5")
    try:
        share = float(overlap)
    except ValueError as exc:
        raise UsageError(f"overlap: '{overlap}' is not a number") from exc
    return {"sample": str(form.get("sample", "")) or None,
            "coders": _split(str(form.get("coders", ""))), "overlap": share}


def _whole(value: Any, field: str) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or int(text) > 2_147_483_647:
        raise UsageError(f"{field}: '{text}' is not a whole number")
    return int(text)


class SourceFilters:
    """The source list's filters, from the query string."""

    def __init__(self, q: str | None = Query(None, max_length=200, description="Search "
                                             "title and text, ignoring case."),
                 screening: str | None = Query(None, pattern="^(relevant|not_relevant|"
                                               "unscreened)$"),
                 language: str | None = Query(None, max_length=12),
                 coded: str | None = Query(None, pattern="^(yes|no)$"),
                 sample: int | None = Query(None, ge=1, le=2_147_483_647,
                                            description="Only this sample's sources."),
                 page: int = Query(1, ge=1, le=100_000)) -> None:
        self.q, self.screening, self.language, self.coded, self.sample, self.page = (
            q or None, screening or None, language or None, coded or None, sample, page)

    def service(self) -> dict[str, Any]:
        relevant = {"relevant": True, "not_relevant": False}.get(self.screening or "")
        screened = False if self.screening == "unscreened" else None
        coded = {"yes": True, "no": False}.get(self.coded or "")
        return {"text": self.q, "relevant": relevant, "screened": screened,
                "language": self.language, "coded": coded, "sample_id": self.sample}

    def query(self) -> dict[str, Any]:
        return {k: v for k, v in (("q", self.q), ("screening", self.screening),
                                  ("language", self.language), ("coded", self.coded),
                                  ("sample", self.sample), ("page", self.page)) if v}


def _browse(store: Store, session: Session, filters: "SourceFilters"
            ) -> tuple[list[dict[str, Any]], int]:
    """A page of sources; on sources of the user's open blind samples the count of codings
    is not shown (it would tell how much others coded), and only the user's own codings make
    them coded."""
    hidden = hidden_from(store, session.user)
    rows, total = browse_sources(store, **filters.service(), blind=sorted(hidden),
                                 coder=session.user.username, limit=PAGE_SIZE,
                                 offset=(filters.page - 1) * PAGE_SIZE)
    for row in rows:
        row["blind"] = row["id"] in hidden
        if row["blind"]:
            row["codings"] = None
    return rows, total


def _codes(store: Store) -> list[dict[str, Any]]:
    book = active_codebook(store)
    return [{"id": c.id, "name": c.name, "kind": c.kind, "top": c.top, "depth": c.depth,
             "definition": c.definition,
             "examples": list(getattr(book.find(c.id), "examples", ()))}
            for c in book.flat_codes()]


def _colours(store: Store) -> dict[str, str]:
    book = active_codebook(store)
    return {c.id: c.colour for c in book.flat_codes() if c.colour and "." not in c.id}


def _local(path: str) -> str:
    """Only paths on this site are followed after signing in (no open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") else "/sources"
