"""Multi-step conversations declared as data (engine.py) and one module per journey."""
