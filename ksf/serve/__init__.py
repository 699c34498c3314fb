"""``ksf serve``: the HTTP service for ERPs in other languages (LANGUAGE.md §16, ``ksf[serve]``).

`ksf.serve.app` (the routes and their typed models, from which FastAPI writes the OpenAPI
description), `ksf.serve.guards` (token, limits, problem answers, access log),
`ksf.serve.problems` (RFC 9457 answers from ksf's errors) and `ksf.serve.store` (the
rulebooks of a folder, reloaded whole when files change).
"""
