"""Whether an email domain can receive mail, asked of DNS: only with ``--online``.

Three answers that must never be confused:

- ``"ok"``: DNS names a mail server (MX, or an A/AAAA fallback);
- ``"no-domain"`` / ``"no-mail"``: DNS answered, and the domain does not exist, or has no
  mail server (no MX nor A/AAAA, a null MX, or "sends no mail" with no MX): the token cannot
  arrive (``email-undeliverable``);
- ``"unreachable"``: DNS could not be asked (no network, no name server configured, a
  timeout, every server failing): the address was not checked online
  (``email-dns-unreachable``), never reported as a dead domain.

email-validator asks the questions (its deliverability rules are the one home of them);
this module only sorts its answer. A "does not exist" or "no mail server" answer counts only
when the same resolver also answers for the DNS root: an offline resolver that says every
name is missing is "unreachable". Answers are cached for the run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from dns.resolver import Resolver

DNS_TIMEOUT_SECONDS = 5

Deliverability = Literal["ok", "no-domain", "no-mail", "unreachable"]


@lru_cache(maxsize=4096)
def deliverability(domain: str) -> Deliverability:
    """What DNS says of mail to ``domain`` (an ASCII domain; see the module)."""
    import dns.exception
    import dns.resolver
    from email_validator import EmailUndeliverableError
    from email_validator.deliverability import validate_email_deliverability

    try:
        resolver = _resolver()
    except (dns.exception.DNSException, OSError):
        return "unreachable"  # no name server configured (no resolv.conf, no network)
    try:
        info = validate_email_deliverability(domain, domain, dns_resolver=resolver)
    except EmailUndeliverableError as error:
        cause = error.__cause__
        if isinstance(cause, dns.resolver.NXDOMAIN):
            verdict: Deliverability = "no-domain"
        elif cause is None or isinstance(cause, dns.resolver.NoAnswer):
            verdict = "no-mail"  # no MX/A/AAAA, a null MX, or no MX and "sends no mail"
        else:
            return "unreachable"  # the resolver itself failed (email-validator's catch-all)
        return verdict if _dns_answers(resolver) else "unreachable"
    if "unknown-deliverability" in info:
        return "unreachable"  # timeout, or every name server failed
    return "ok"


def _dns_answers(resolver: Resolver) -> bool:
    """The resolver reaches DNS at all: it answers for the root zone."""
    try:
        resolver.resolve(".", "NS")
    except Exception:
        return False
    return True


@lru_cache(maxsize=1)
def _resolver() -> Resolver:
    from email_validator import caching_resolver

    return caching_resolver(timeout=DNS_TIMEOUT_SECONDS)
