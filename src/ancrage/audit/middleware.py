from ancrage.core.actor import request_context


class AuditActorMiddleware:
    """Makes the current request (and so its user) known to the audit recorder."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_context(request):
            return self.get_response(request)
