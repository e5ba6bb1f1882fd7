"""The edge and server of WSGI frameworks: WSGI middleware applying the core's HTTP rules
(core/http/) around any WSGI application, and gunicorn. It imports no framework."""
