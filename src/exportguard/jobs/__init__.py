"""Scheduled and queued work (expiry sweep, notice delivery, list downloads) on a job queue.

Like the web and the CLI, jobs are an entry point into the services: a schedule or a queued job
calls a named command as the scheduler's principal. The queue is procrastinate's, kept in the
PostgreSQL database itself (schema ``procrastinate``); with SQLite it runs in the serving process
on procrastinate's in-memory queue. Every job is idempotent, and the durable state lives in the
regulated tables (the notice outbox, permits' validity), so a job lost or run twice is harmless.
"""
