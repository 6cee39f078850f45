import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from ancrage.settings.env import env_bool, env_int, env_list, env_str


def test_env_str_reads_variable_then_file_then_default(monkeypatch, tmp_path):
    monkeypatch.delenv("ANC_TEST", raising=False)
    assert env_str("ANC_TEST", "défaut") == "défaut"
    secret = tmp_path / "secret"
    secret.write_text("depuis-un-fichier\n")
    monkeypatch.setenv("ANC_TEST_FILE", str(secret))
    assert env_str("ANC_TEST") == "depuis-un-fichier"
    monkeypatch.setenv("ANC_TEST", "direct")
    assert env_str("ANC_TEST") == "direct"


def test_env_str_without_default_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("ANC_ABSENT", raising=False)
    monkeypatch.delenv("ANC_ABSENT_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ANC_ABSENT"):
        env_str("ANC_ABSENT")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("oui", True), ("False", False), ("off", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("ANC_BOOL", raw)
    assert env_bool("ANC_BOOL", not expected) is expected


def test_env_bool_and_int_refuse_garbage(monkeypatch):
    monkeypatch.setenv("ANC_BAD", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="ANC_BAD"):
        env_bool("ANC_BAD", False)
    with pytest.raises(ImproperlyConfigured, match="ANC_BAD"):
        env_int("ANC_BAD", 1)


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("ANC_LIST", "a.fr, ,b.fr,")
    assert env_list("ANC_LIST") == ["a.fr", "b.fr"]


GOOD_SECRET = "x" * 60


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ANCRAGE_")}
    clean.update(env)
    return subprocess.run(  # noqa: S603 — fixed command, our own interpreter
        [sys.executable, "-c", "import ancrage.settings.production"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "ANCRAGE_SECRET_KEY"),
        ({"ANCRAGE_SECRET_KEY": "court"}, "50 characters"),
        (
            {
                "ANCRAGE_SECRET_KEY": GOOD_SECRET,
                "ANCRAGE_ALLOWED_HOSTS": "a.fr",
                "ANCRAGE_DEBUG": "1",
            },
            "ANCRAGE_DEBUG",
        ),
        (
            {
                "ANCRAGE_SECRET_KEY": GOOD_SECRET,
                "ANCRAGE_ALLOWED_HOSTS": "a.fr",
                "ANCRAGE_DEMO": "1",
            },
            "ANCRAGE_DEMO",
        ),
        ({"ANCRAGE_SECRET_KEY": GOOD_SECRET}, "ANCRAGE_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_misconfigured(env, message):
    result = _import_production(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_when_configured():
    result = _import_production(
        ANCRAGE_SECRET_KEY=GOOD_SECRET, ANCRAGE_ALLOWED_HOSTS="ancrage.exemple.fr"
    )
    assert result.returncode == 0, result.stderr
