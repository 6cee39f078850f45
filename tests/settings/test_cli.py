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
