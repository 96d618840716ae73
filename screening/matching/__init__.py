"""The matching engine: normalisation, the explainable scorer, the two-stage index and the
per-process engine that screens names against the list versions in force (issue 4).

Import from the submodules (`screening.matching.engine`, `.index`, `.scorer`, `.normalize`,
`.types`); this package imports nothing itself, so loading it costs nothing until it is used.
"""
