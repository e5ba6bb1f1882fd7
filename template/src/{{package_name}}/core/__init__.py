"""Framework-independent core: settings, error model, database and models.

Nothing here imports a web framework, so every HTTP adapter shares the same rules.
"""
