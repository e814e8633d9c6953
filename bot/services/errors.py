"""The one error type services raise for a broken business rule, with a Thai message for the user."""


class ServiceError(Exception):
    def __init__(self, code: str, message_th: str, *, final: bool = False) -> None:
        super().__init__(f"{code}: {message_th}")
        self.code = code
        self.message_th = message_th
        self.final = final
        """Asking again can never help (the activity started, closed its sign-up, was cancelled or is gone):
        a journey refused at its finish ends with the reason instead of asking its last step again."""
