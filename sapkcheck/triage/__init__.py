"""Triage of WhatsApp complaints: chat export parsing, questions, value extraction.

Pure building blocks (no CLI, no prose): ``chat`` reads an export, ``questions`` groups
messages into what one person asked, ``extract`` finds the NIP, email and token they
pasted, exactly as typed, for the existing checks to diagnose.
"""
