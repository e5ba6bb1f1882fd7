"""Authentication for the chosen mode: credentials, their storage and their verification.

Modules with the same name exist for every authentication mode the template offers; the
generated service holds the ones of its mode, behind the same interface.
"""
