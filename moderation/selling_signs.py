"""Selling and soliciting, as patterns over normalised text.

A member offering drugs, vials, "programs" or remedies for money is the most
direct route to harm on a health forum, and it rarely uses the word "buy":
"link in bio", "spots open now", "no prescription needed", "selling my
leftover dysport". A contact request alone ("DM me if you need to talk") is
peer support, so it counts only together with a commercial word in the same
sentence.

Pure functions: no Django, no I/O.
"""

from __future__ import annotations

import re

from moderation.patterns import compile_all, token_positions

MACROS = {
    "GOODS": (
        "(botox|xeomin|dysport|vials|vial|toxin|botulinum|pills|tabs|tablets|strips|meds|baclofen|clonazepam|"
        "gabapentin|artane|oil|oils|balm|tea|tinctures|tincture|supplements|vitamins|spray|drops|kit|program|"
        "programme|course|coaching|blend|remedy|remedies|products|product|capsules|gummies|patches)"
    ),
}

PATTERNS: dict[str, tuple[str, ...]] = {
    "selling": (
        "(i|we|im|were) (sell|selling|make and sell|can sell|can get you|can get)",
        "(friend|guy|someone|somebody|person) (who|that)? (sells|is selling) … {GOODS}",
        "selling (my|some|a few|these|our|leftover|spare|unused|extra|the)? … {GOODS}",
        "for sale",
        "link in (my)? (bio|profile)",
        "(my|our|an) (amazon|affiliate|referral|shop|store|etsy) (link|code|page)",
        "(pre orders|preorders|pre order|preorder|orders) (are)? (open|now open|free)",
        "(spots|places|slots|seats) (open|left|available|still available)",
        "book a (free)? (call|consultation|consult|session|discovery call)",
        "first (week|month|session|consultation|\\d+ (orders|customers|people)) (is|are)? free",
        "(paid|private|vip|premium|exclusive) (group|telegram|channel|program|programme|course|community|membership|"
        "discord|whatsapp)",
        "(no|without a|without any|dont need a) prescription (needed|required|necessary)?",
        "(my|a|our) (supplier|dealer|seller)",
        "(only|just) \\d+ (bags|bottles|spots|places|jars|boxes|vials|packs|kits|tins|pots) (left|remaining)",
        "dont miss out",
        "(half|reasonable|cheap|discounted|mates|friends) (price|prices|rates)",
        "(way|much|so|far) (cheaper|less) than (the|your|a) (clinic|pharmacy|neuro|doctor|neurologist|hospital)",
        "(comment|reply|type|message me|dm me|text me) (yes|me|info|interested|now)",
        "(starting|started|launching|launched|opened|opening) (a|my|our)? (small|little|new)? (business|shop|company|"
        "store|brand|practice)",
        "(my|our) (company|shop|store|business|brand|clinic) (makes|sells|has|offers|created|developed)",
        "(wellness|health|life|holistic|nutrition) coach",
        "supports (me|my (business|shop|family))",
        "(text|call|ring|whatsapp) the number",
        "(still)? (sealed|unopened|unused|in date) … (pick up|postage|collection|price|for sale)",
        "(dm|pm|message|inbox|text|whatsapp|email) me (for|if|to) … (price|prices|cheap|order|buy|discount|details|"
        "the link|a deal|stock)",
        "(price|cheap|discount|order|buy|deal) … (dm|pm|message|inbox|text|whatsapp|email) me",
    ),
}

_COMPILED = compile_all(PATTERNS, MACROS)
_NOT_SELLING = re.compile(r"(?:^| )(?:not|never|dont|doesnt|wont|isnt) (?:\w+ )?$")


def find_selling(text: str) -> list[str]:
    """Phrases of normalised ``text`` that offer something for money or solicit buyers."""
    padded = f" {text} "
    positions = token_positions(padded)
    tokens = frozenset(positions)
    for pattern in _COMPILED:
        if not pattern.may_match(tokens):
            continue
        for match in pattern.finditer(padded, positions):
            if _NOT_SELLING.search(padded[max(0, match.start() - 20) : match.start()]):
                continue  # "I'm not selling anything"
            return [match.group(0).strip()]
    return []
