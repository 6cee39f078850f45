"""The ``ancrage`` command speaks French to a newcomer: its help, and a busy port in one line."""

import socket

import pytest

from ancrage import cli


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h"]])
def test_the_help_is_in_french_without_rst_quotes(argv, capsys):
    cli.main(argv)
    out = capsys.readouterr().out
    assert out.startswith("Ancrage — plateforme libre pour le logement accompagné.")
    assert "sert l'application" in out and "--port" in out
    assert "``" not in out and "serve the application" not in out


def test_serving_on_a_busy_port_says_so_in_one_french_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exit_:
            cli.serve(["--port", str(port)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"Le port {port} est déjà utilisé sur 127.0.0.1 (un autre serveur Ancrage ?) : "
        "arrêtez-le, ou choisissez un autre port avec --port ou ANCRAGE_PORT."
    )
    assert "Traceback" not in err


def test_a_free_port_is_free():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert cli.port_is_free("127.0.0.1", port)


@pytest.mark.parametrize("argv", [["--workers", "0"], ["--threads", "0"]])
def test_zero_processes_or_threads_is_refused_in_french(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.serve(argv)
    assert exit_.value.code == 2
    assert "--workers et --threads valent au moins 1." in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_processes_serve_the_application(tmp_path):
    """``--workers 2``: gunicorn's master and two workers answer; stopping the master stops all."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ancrage.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "ancrage.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico") as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(workers) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "avec 2 processus" in output
    assert server.returncode == 0


def test_a_web_process_does_not_load_the_allocation_engine():
    """OR-Tools, SciPy and NumPy (≈ 100 MB) load with the first allocation or refresh, not when
    the application starts: every URL resolved, every app ready, none of them imported."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import ancrage.urls, ancrage.api.urls, ancrage.allocation.views, "
        "ancrage.allocation.tasks, ancrage.indicators.tasks; "
        "print(sorted(m for m in ('ortools', 'scipy', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "ancrage.settings.dev"},
    ).stdout
    assert out.strip() == "[]"


def test_serving_lets_a_request_run_until_it_waits(monkeypatch, settings):
    """Threads of one process hand the interpreter over every 20 ms, not every 5 ms: measured,
    8 threads at 5 ms made a page cost half as much processor time again (docs/benchmarks.md)."""
    import sys

    import waitress

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options))
    monkeypatch.setattr(cli, "_django_setup", lambda: None)
    settings.DEBUG = True  # no collectstatic in a test
    before = sys.getswitchinterval()
    try:
        cli.serve(["--port", str(_free_port()), "--threads", "3"])
        assert sys.getswitchinterval() == pytest.approx(cli.SWITCH_INTERVAL)
        assert pytest.approx(0.02) == cli.SWITCH_INTERVAL
        assert served["threads"] == 3
    finally:
        sys.setswitchinterval(before)
