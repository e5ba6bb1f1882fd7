"""The HTTP rules of the service, decided once for every web framework.

Adapters (web/<framework>/) translate requests and responses; what a response carries, in
what order the edge handles a request, who is admitted and how refusals are answered is
decided here.
"""
