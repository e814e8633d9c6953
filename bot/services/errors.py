"""The one error type services raise for a broken business rule, with a Thai message for the user."""


class ServiceError(Exception):
    def __init__(self, code: str, message_th: str) -> None:
        super().__init__(f"{code}: {message_th}")
        self.code = code
        self.message_th = message_th
