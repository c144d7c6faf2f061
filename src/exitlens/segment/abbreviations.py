"""Word lists that decide whether a full stop ends a sentence (English, French, German)."""

from __future__ import annotations

import re

TITLES = frozenset("""
    Mr Mrs Ms Messrs Mmes Dr Drs Prof Gen Lt Col Capt Cpt Cmdr Cdr Sgt Maj Cpl Pvt Adm Brig
    Rev Fr Sen Rep Gov Pres Hon Amb Insp Supt Det St Ste Mt Ft Pt
    MM Mme Mlle Mlles Mgr Pr Hr Hrn Frl
""".split())
"""Abbreviations that stand before a name: a full stop after them never ends a sentence."""

ABBREVIATIONS = frozenset("""
    etc al approx ca cf vs viz esp incl excl resp dept govt est min max fig figs vol vols ed eds
    trans ibid op cit seq sq pp pg para sec art ch chap tel ext jr sr misc ref refs corp inc ltd
    co bros nos apr aug dec feb jan jul jun nov oct sep sept tue tues thu thur thurs fri
    env av bd boul éd coll hab ex
    bzw usw vgl ggf evtl inkl sog bspw zzgl abzgl nr str geb gest verh bzgl ehem jh jhd mio mrd
    tsd abs anm aufl hrsg
""".split())
"""Lower-cased abbreviations that may end a sentence only when a typical first word follows."""

STARTERS = frozenset("""
    The A An He She It They We I You His Her Its Their Our My Your This That These Those There
    Here Then But And Or So Yet In On At After Before When While If As For With Without From To
    By Of Some Many Most All No Not One Two Three Now Later Today Yesterday However Meanwhile
    Still Also Although Though Because Since During What Why How Who Where Which Is Was Are Were
    Did Do Does Has Have Had Can Could Would Should Will Yes Well Oh Please Even Only Both Each
    Every Such Other Another Once According Police Officials
    Le La Les L Un Une Des Il Elle Ils Elles On Nous Vous Je J Ce C Cette Ces Mais Et Puis Alors
    Donc Dans En Au Aux Pour Par Sur Selon Quand Si Depuis Après Avant Qu D
    Der Die Das Den Dem Ein Eine Er Sie Es Wir Ich Ihr Man Aber Und Dann Doch Im Am Auf Nach
    Vor Mit Bei Als Wenn Weil Auch Noch Dort Hier Damit Dabei Seit Zum Zur
""".split())
"""Capitalised words that typically begin a sentence: after an abbreviation they mean a new one."""

MONTHS = frozenset("""
    januar jänner februar märz april mai juni juli august september oktober november dezember
    january february march may june july october december
""".split())

ORDINAL_CONTEXT = frozenset("""
    am vom zum im bis seit ab den dem der des die das beim zur ihr ihre ihrem ihren sein seine
    seinem seinen jeden jedem
""".split())
"""German words before "3." that make the number an ordinal ("am 3. Mai", "zum 2. Mal")."""

PAIRED = re.compile(
    r"(?<![^\W\d_])(?:z\.\s?B|d\.\s?h|u\.\s?a|o\.\s?ä|u\.\s?U|v\.\s?a|i\.\s?d\.\s?R|s\.\s?o"
    r"|s\.\s?u|p\.\s?ex|e\.\s?g|i\.\s?e|a\.\s?k\.\s?a)\Z")
"""Two-part abbreviations ("z. B.", "d. h.", "e.g.") that never end a sentence."""
