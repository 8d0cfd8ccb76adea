"""Format-invariance bench: real texts read by pandoc into a small document model, rendered by
independent producers into text, Markdown, PDF, HTML and DOCX.

Nothing here imports wtcompare: the renderers must not share the loaders' assumptions. Only
`benchmarks/format_invariance.py` (the measurement) loads the rendered files with wtcompare.
"""
