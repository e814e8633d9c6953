"""Business rules shared by chat, the command line and the worker."""
