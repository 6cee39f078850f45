"""A bare WSGI application served like Ancrage (waitress, or gunicorn with several processes):
the server's own ceiling, for the web benchmark."""

import argparse


def hello(environ, start_response):
    body = b"bonjour"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.workers == 1:
        from waitress import serve

        serve(hello, host="127.0.0.1", port=args.port, threads=8, _quiet=True)
        return
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"127.0.0.1:{args.port}",
                "workers": args.workers,
                "worker_class": "gthread",
                "threads": 8,
                "accesslog": None,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return hello

    Server().run()


if __name__ == "__main__":
    main()
