from pathlib import Path

from django.conf import settings

from core.i18n.catalog import missing


def test_every_user_facing_string_has_a_dutch_translation() -> None:
    gaps = missing(Path(settings.BASE_DIR), "nl")
    listed = [f"{path}:{line} {message!r}" for path, line, _ctx, message in gaps]
    assert listed == [], "untranslated strings (run `make i18n-missing`):\n" + "\n".join(listed[:50])


def test_compiled_catalogs_are_present_for_every_po_file() -> None:
    for po in Path(settings.BASE_DIR).glob("locale/*/nl/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} is missing: run `make messages`"
        assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is older than its .po: run `make messages`"
