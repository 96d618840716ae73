class ApplicationError(Exception):
    """A rule of the domain said no. The message is safe to show to the user."""

    def __init__(self, message: str, *, code: str = "invalid", extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
