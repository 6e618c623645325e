"""OAI-PMH 2.0: request parsing (:mod:`.arguments`), resumption tokens (:mod:`.tokens`), response
documents (:mod:`.xml`), the six verbs (:mod:`.verbs`) and the ``/oai2d`` route (:mod:`.router`).
Queries and payloads live in :mod:`callimachus.services.oai`."""
