"""Benchmarks: webhook ack/processing (bench_webhook), NLP (bench_nlp), outbox (bench_outbox)."""
