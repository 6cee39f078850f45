"""The ``ancrage`` console command.

    ancrage serve [--host H] [--port P] [--workers N]
                                          serve the application (waitress; gunicorn with N > 1)
    ancrage demo [--serve]                migrate, load territories and demo data, print the logins
    ancrage worker                        run background tasks (and the daily retention run)
    ancrage retention [--dry-run]         archive, anonymise and purge what is due (RGPD)
    ancrage createadmin                   create a platform operator account
    ancrage load-territories              load communes, EPCI, départements, régions
    ancrage refresh-indicators [--year Y] recompute the figures (changed months, or whole years)
    ancrage import FILE --structure N --utilisateur E [--verifier] [--mode tout|valides]
                                          import past records from an XLSX workbook or a CSV
    ancrage bench allocation [--quick]    the allocation benchmark (from a source checkout)
    ancrage bench indicators [--preset P] the indicators benchmark (PostgreSQL)
    ancrage generate --preset P           a synthetic dataset (tiny, small, regional, national)
    ancrage <django command> …            any manage.py command (migrate, shell, …)

Settings default to ``ancrage.settings.dev``; set DJANGO_SETTINGS_MODULE=ancrage.settings.production
on a real server.
"""

from __future__ import annotations

import argparse
import os
import sys

ALIASES = {
    "worker": ["worker"],
    "createadmin": ["createsuperuser"],
    "load-territories": ["load_territories"],
    "refresh-indicators": ["refresh_indicators"],
    "import": ["import_records"],
    "demo": ["demo"],
}


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancrage.settings.dev")
    import django

    django.setup()


# How long a thread keeps the interpreter before another runnable thread may take it (Python's
# default: 5 ms). A page spends most of its time in Python between short database round trips: with
# 8 threads and 5 ms, the threads took the interpreter from each other so often that a page cost
# 50 % more processor time than served alone (docs/benchmarks.md, « Pages sous charge »); with
# 20 ms each request mostly runs until it waits for the database, as it would alone.
SWITCH_INTERVAL = 0.02


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="ancrage serve", description="Sert l'application.", add_help=False
    )
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide")
    parser.add_argument(
        "--host",
        default=os.environ.get("ANCRAGE_HOST", "127.0.0.1"),
        help="adresse d'écoute (ANCRAGE_HOST ; 127.0.0.1 par défaut)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("ANCRAGE_PORT", "8000")),
        help="port (ANCRAGE_PORT ; 8000 par défaut)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("ANCRAGE_THREADS", "8")),
        help="fils de traitement par processus (ANCRAGE_THREADS ; 8 par défaut)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("ANCRAGE_WORKERS", "1")),
        help="processus (ANCRAGE_WORKERS ; 1 par défaut ; plus d'un : gunicorn, Linux et macOS)",
    )
    args = parser.parse_args(argv)
    if args.workers < 1 or args.threads < 1:
        parser.error("--workers et --threads valent au moins 1.")
    if args.workers > 1 and sys.platform == "win32":
        parser.error("plusieurs processus (--workers) demandent Linux ou macOS (gunicorn).")
    if not port_is_free(args.host, args.port):
        print(
            f"Le port {args.port} est déjà utilisé sur {args.host} (un autre serveur Ancrage ?) : "
            f"arrêtez-le, ou choisissez un autre port avec --port ou ANCRAGE_PORT.",
            file=sys.stderr,
        )
        raise SystemExit(1)
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    sys.setswitchinterval(SWITCH_INTERVAL)  # inherited by gunicorn's forked workers

    from ancrage.wsgi import application

    if not settings.DEBUG:
        call_command("collectstatic", "--noinput", verbosity=0)
    print(
        f"Ancrage sert sur http://{args.host}:{args.port}/ avec {args.workers} processus "
        f"(Ctrl+C pour arrêter)",
        flush=True,
    )
    if args.workers > 1:
        _gunicorn(application, args)
        return
    waitress_serve(
        application,
        host=args.host,
        port=args.port,
        threads=args.threads,
        **proxy_options(os.environ),
    )


def _gunicorn(application, args) -> None:
    """Several processes (ADR 0015): gunicorn's ``gthread`` workers, forked from a master that
    loaded Django once. The proxy headers are trusted exactly as with waitress: the same rule,
    applied by the same WSGI middleware."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    wrapped = behind_proxy(application, os.environ)
    # No connection opened while loading may be shared by the forked workers.
    connections.close_all()
    host = f"[{args.host}]" if ":" in args.host else args.host
    settings = {
        "bind": f"{host}:{args.port}",
        "workers": args.workers,
        "worker_class": "gthread",
        "threads": args.threads,
        "preload_app": True,
        # gunicorn's own reading of X-Forwarded-* is off: the middleware above decides.
        "forwarded_allow_ips": "",
        "accesslog": None,
        "errorlog": "-",
        "proc_name": "ancrage",
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return wrapped

    Server().run()


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` (a busy port gets one French line, not
    waitress's traceback)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


# What the reverse proxy (nginx, Caddy) tells the application: the scheme the visitor used, their
# address and the host they asked for. Trusted only from ANCRAGE_TRUSTED_PROXY's address.
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"}


def proxy_options(environ) -> dict:
    """waitress's proxy settings. Without a trusted proxy, waitress drops X-Forwarded-*: behind a
    TLS proxy the application would believe every request came over HTTP and redirect forever."""
    proxy = environ.get("ANCRAGE_TRUSTED_PROXY", "").strip()
    if not proxy:
        return {}
    return {
        "trusted_proxy": proxy,
        "trusted_proxy_headers": set(PROXY_HEADERS),
        "clear_untrusted_proxy_headers": True,
    }


def behind_proxy(application, environ):
    """The application with ``proxy_options``'s rule applied by waitress's WSGI middleware (for
    gunicorn, which would otherwise pass any client's X-Forwarded-* through to Django)."""
    from waitress.proxy_headers import proxy_headers_middleware

    options = proxy_options(environ)
    return proxy_headers_middleware(
        application,
        trusted_proxy=options.get("trusted_proxy"),
        trusted_proxy_headers=options.get("trusted_proxy_headers"),
        clear_untrusted=True,
    )


def bench(argv: list[str]) -> None:
    """Benchmarks live in ``bench/`` beside ``src/``: run one by name."""
    import runpy
    from pathlib import Path

    if not argv or argv[0] not in ("allocation", "indicators"):
        print("Usage : ancrage bench allocation [--quick] | ancrage bench indicators [--preset P]")
        return
    root = Path(__file__).resolve().parents[2]
    script = root / "bench" / f"{argv[0]}.py"
    if not script.exists():
        print(
            "Le dossier bench/ n'est pas là : lancez depuis une copie des sources (make bench-…)."
        )
        return
    sys.argv = [f"bench-{argv[0]}", *argv[1:]]
    runpy.run_path(str(script), run_name="__main__")


HELP = """Ancrage — plateforme libre pour le logement accompagné.

Usage : ancrage COMMANDE [options]

  serve [--host H] [--port P]      sert l'application (http://127.0.0.1:8000 par défaut ;
        [--workers N]              ANCRAGE_PORT ou --port pour un autre port ; --workers N :
                                   N processus, Linux et macOS)
  demo [--serve]                   migrations, territoires et données de démonstration, puis
                                   affiche les comptes ; --serve lance ensuite le serveur
  worker                           exécute les tâches de fond et les tâches quotidiennes
  retention [--dry-run]            archive, anonymise et purge ce qui est dû (RGPD)
  createadmin                      crée un compte d'exploitation de la plateforme
  load-territories                 charge communes, EPCI, départements et régions
  refresh-indicators [--year A]    recalcule les indicateurs (mois modifiés, ou années entières)
  import FICHIER --structure N --utilisateur E [--verifier] [--mode tout|valides]
                                   importe un historique depuis un classeur XLSX ou un CSV
  generate --preset P [--seed N]   crée un jeu synthétique (tiny, small, regional, national)
  bench allocation [--quick]       mesure des moteurs d'allocation (depuis les sources)
  bench indicators [--preset P]    mesure des indicateurs (PostgreSQL)
  <commande Django> …              toute commande de manage.py (migrate, shell…)

Réglages : ancrage.settings.dev par défaut ; sur un serveur,
DJANGO_SETTINGS_MODULE=ancrage.settings.production (voir docs/environment.md).
Aide d'une commande : ancrage COMMANDE --help."""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help", "aide"):
        print(HELP)
        return
    command, rest = argv[0], argv[1:]
    if command == "serve":
        serve(rest)
        return
    if command == "bench":
        bench(rest)
        return
    serve_after = command == "demo" and "--serve" in rest
    if serve_after:
        rest.remove("--serve")
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ancrage", *ALIASES.get(command, [command]), *rest])
    if serve_after:
        serve([])


if __name__ == "__main__":
    main()
