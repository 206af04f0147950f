"""Unsafe medical instructions and claims, as categories matched by patterns over normalised text.

Telling *someone else* to change a dose, stop or skip treatment, or keep away
from clinicians, and promising cures, is what this forum reviews; sharing
one's own experience with the same drugs ("my neurologist put me on 10 mg",
"I stopped clonazepam with my doctor's help") is what it is for. So the
instruction patterns need an imperative or advisory lead ("take", "you
should", "just", "id up it to"), and a sentence that sends the reader to a
clinician ("ask your neurologist before you stop") is not an instruction.

Pure functions: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.patterns import Pattern, compile_all, compile_template, negated, preceding_tokens, token_positions

CATEGORY_REASON = {
    "dose_change": "dosage_instructions",
    "stop_treatment": "stop_medication_advice",
    "avoid_clinician": "avoid_clinician_advice",
    "miracle_cure": "miracle_cure_claim",
}

MACROS = {
    # What starts an instruction: the start of a sentence or an advisory phrase.
    "LEAD": (
        "(you (should|could|can|must|need to|have to|got to|gotta|might want to|ought to|oughta|may as well|"
        "just need to|really should|better)|just|simply|honestly|seriously|trust me|tbh|pro tip|my advice|"
        "advice|tip|id|id just|id honestly|if i were you|why not|dont be afraid to|its fine to|its safe to|"
        "its ok to|no harm in|better to|best to|make sure you|all you need is to|do yourself a favour and|"
        "do yourself a favor and|try|go ahead and|feel free to|easiest is to|what you do is|anyway|btw|so|"
        "and|then|also|instead|u should|you should just|should just|[,:;.!?-])"
    ),
    "AMOUNT": (
        r"(\d+(?:[.,]\d+)? (mg|mcg|ml|units|unit|u|iu|tablets|tablet|pills|pill|capsules|caps|doses|dose|drops|"
        r"milligrams|micrograms|puffs|of (them|those|the \w+))|(one|two|three|four|five|ten|twenty|fifty|a couple of|"
        r"an extra|another|extra|double|twice|half|more|a few|a second|1|2|3|4) (mg|units|tablets|tablet|pills|pill|"
        r"doses|dose|caps|capsules|of the \w+|of them|of those|\w+ pills|\w+ tablets|clonazepam|baclofen))"
    ),
    "TREATMENT": (
        "(meds|medication|medications|medicine|pills|tablets|botox|xeomin|dysport|injections|injection|shots|"
        "jabs|treatment|treatments|prescription|prescriptions|baclofen|clonazepam|artane|trihexyphenidyl|gabapentin|"
        "carbamazepine|tetrabenazine|tegretol|klonopin|rivotril|lioresal|neurontin|drugs|\\w+pam|\\w+ine)"
    ),
    "CLINICIAN": (
        "(doctor|doctors|neurologist|neurologists|gp|gps|specialist|specialists|surgeon|surgeons|prescriber|"
        "pharmacist|consultant|clinic|hospital|ophthalmologist|neuro-ophthalmologist|nurse|medical (people|system))"
    ),
    "CONDITION": (
        "(spasms|spasm|blepharospasm|hemifacial spasm|hemifacial|meige|meiges|twitching|twitch|twitches|dystonia|"
        "it|this|everything)"
    ),
}

PATTERNS: dict[str, tuple[str, ...]] = {
    "dose_change": (
        "{LEAD} (take|taking|try|use|have|pop|swallow|double|triple|halve|up|increase|raise|bump|boost|add|cut|"
        "drop|lower|reduce|split|combine|chase|swap|go up to|start (with|on)|start at|go for) (it|your \\w+|the \\w+)? "
        "… (to|with|at)? {AMOUNT}",
        "{LEAD} (double|triple|halve|up|increase|raise|bump|boost|bump up|up|crank up) (up)? (your|the|that|ur|it|"
        "them) (dose|dosage|meds|units|{TREATMENT})?",
        "(mix|take|combine|wash|chase) (it|them|\\w+) (down)? with (alcohol|wine|beer|booze|a drink|drinks|vodka|"
        "whisky|whiskey)",
        "{LEAD} (take|have|pop|add) (an|another|one more|a)? (extra|second|few more|couple more|spare) (one|ones|pill|"
        "pills|tablet|tablets|dose|doses|{TREATMENT})",
        "(instead of one|more than (prescribed|they say|the label says|you were told)|than prescribed)",
        "(ask|push|beg) for (more|extra|\\d+) units (than|even if)",
        "(just|simply)? say (the|you take the) prescribed",
        "(two|2) of the \\d+s",
        "{TREATMENT} (dose|dosage)? … (go|take|use) (higher|more|double)",
        "(its|it is) (fine|safe|ok|okay) to (take|double|go over|exceed|mix)",
    ),
    "stop_treatment": (
        "{LEAD} (stop|stopping|quit|ditch|drop|skip|cancel|bin|dump|flush|chuck|toss|throw (away|out)|come off|"
        "get off|wean (yourself)? off|taper (yourself)? off|forget|give up|avoid|refuse|ignore|say no to|cut out|"
        "pack in|lay off) (on)? (all|your|the|those|these|any|ur|that|this|them|it)? (\\w+)? {TREATMENT}",
        "(stop|quit|come off|drop|ditch) … cold turkey",
        "you dont need (your|the|those|any|that|these)? {TREATMENT}",
        "{TREATMENT} (are|is) (poison|toxic|killing you|a scam|doing more harm|making you worse|rubbish)",
        "(do|does|doing) more harm than good",
        "(throw|threw|chuck|toss|bin) (them|it|your \\w+|the \\w+) (away|out) … (never looked back|trust me|do it)",
        "(do yourself a favour|do yourself a favor|you wont regret it|never looked back)",
        "(no need|dont need|dont bother) (for|with|to (keep|get|go for|take)) … {TREATMENT}",
        "(cancel|skip|miss) (your|the|that|next)? (appointment|injection|injections|botox|shots|round) … (trust me|"
        "you dont need|not worth|waste)",
        "(stop|quit) (your|the|those|all)? {TREATMENT} (tomorrow|today|now|tonight|this week)",
    ),
    "avoid_clinician": (
        "(dont|do not|no need to|never|wont need to|dont ever|you dont need to) (need|see|listen to|trust|bother "
        "with|tell|ask|go to|waste (your)? (time|money) on|believe|go back to) (a|your|the|any|those|that|ur)? "
        "{CLINICIAN}",
        "(you dont need|dont need|no need for) (a|an|any|the|your)? {CLINICIAN}",
        "{CLINICIAN} (are|r|is)? (all)? (just|only)? (useless|clueless|liars|paid|in it for|only want|just want|"
        "dont know anything|know nothing|dont care|idiots|a waste|shills|corrupt|bought)",
        "(the)? (doctor|neurologist|gp|specialist|surgeon) (just|only) (wants|cares about) (your)? money",
        "(skip|avoid|forget|ditch|cancel|bin|bypass|get around) (the|your|that|ur)? (doctor|neurologist|specialist|"
        "appointment|appointments|gp|neuro|surgeon|prescriber)",
        "(inject|treat|dose|sort|fix|diagnose) (it|them)? (yourself|at home yourself)",
        "keep (the|your)? {CLINICIAN} out of (it|this)",
        "(doctors|they|the system) (dont|do not|wont) (want you to know|tell you)",
        "(order|buy|get) (it|them|botox|vials|\\w+) (online|from abroad|without a prescription)",
        "without (a|any) (prescription|doctor)",
    ),
    "miracle_cure": (
        "(miracle|magic|guaranteed|permanent|100 %|total|complete|instant|secret|natural|real|true) (cure|fix|"
        "remedy|solution|treatment|healing)",
        "(cure|cures|cured|will cure|fix|fixes|fixed|heal|heals|healed|eliminate|eliminates|eliminated|reverse|"
        "reverses|reversed|get rid of|gets rid of|got rid of|erase|erases) (your|the|my|all|any|every|a|their)? "
        "{CONDITION} (completely|for good|forever|permanently|in \\d+ (days|weeks)|naturally|100 %|entirely|fully|"
        "overnight|totally)",
        "(cure|cures|will cure|heal|heals|will heal|fix|fixes|will fix|reverse|reverses) (your|any|all|every) "
        "{CONDITION}",
        "(cured|healed) (me|mine|it|my \\w+|my \\w+ \\w+) … (completely|for good|forever|permanently|in \\d+ (days|weeks)|"
        "overnight|totally|within)",
        "(guaranteed|promise|promised|guarantee) (to|you|it will)? … (work|cure|fix|stop|heal|results)",
        "(works|worked|will work) for (everyone|everybody|anyone|every case)",
        "(100 %|one hundred percent) (of the time|guaranteed|success|effective|results|cured)",
        "(detox|cleanse|parasite cleanse|alkaline|heavy metal|chelation) … (cure|fix|stop|heal|cures|fixes|stops|"
        "heals|cured|fixed|root cause|gone)",
        "(they|doctors|pharma|big pharma) (dont|do not|wont|will not) (want|tell) (you)? (to)? (know|about)",
        "(throw away|bin|never need) … (botox|injections|surgery) … (again|forever)",
        "(the|this) (one|only) thing (that)? (actually)? (works|cures|fixes)",
        "(cure|cured|fix|fixed) (is|was) (simple|easy|this)",
        "root cause",
        "(100|one hundred) (percent|%) (success|effective|cure|cured|of people|results|guaranteed)",
        "(success rate|cure rate) of? (100|one hundred|99)",
        "(free|gone|cured|fixed) (for life|forever|for good)",
        "(permanently|completely|totally|forever) (fixes|fix|cures|cure|heals|heal|stops|stop|ends|end|removes|reverses) "
        "(your|the|all|any)? ({CONDITION}|nerve|twitch|twitching)?",
        "(heal|heals|healed|repair|repairs|fix|fixes|shrink|shrinks|shrank) the (nerve|artery|vessel|brain) (for good|"
        "forever|permanently|completely|naturally)?",
        "(no one|nobody|noone|you dont|you wont|you will never|never) (ever)? (needs|need|have to|need to) (have)? "
        "(mvd|surgery|botox|injections|the injections|shots|an operation|drugs|meds)",
        "(wont|will not|will never|never) (ever)? need (surgery|mvd|botox|injections|an operation) (again)?",
        "(big pharma|pharma|the drug companies|doctors|they) (hide|hides|hiding|hid|suppress|suppresses|bury|buries) "
        "(the|a|this)? (cure|truth|fix)",
        "there (is|IS) a cure",
        "(is|are|its|it is) (all|really|actually)? (caused by|from|down to) (gluten|sugar|parasites|toxins|candida|"
        "heavy metals|mould|mold|vaccines|fluoride|dairy|wifi|emf|your diet|diet|stress alone)",
        "(no need for|dont need) anything else",
        "(disappears|disappear|goes away|go away|vanishes|vanish) (forever|for good|permanently|for life)",
        "guaranteed",
    ),
}

_COMPILED: tuple[Pattern, ...] = compile_all(PATTERNS, MACROS)
_SURGERY_OUTCOME = re.compile(r"\b(?:mvd|surgery|decompression|operation|surgeon)\b")
_FIRST_PERSON_STORY = re.compile(r"(?:^| )(?:i|im|ive|id|my|we|they|he|she|mine) (?:\w+ ){0,2}$")
_CARE = re.compile(
    r"\b(?:doctor|doctors|neurologist|neuro|gp|physician|specialist|clinic|pharmacist|prescriber|nurse|consultant)\b"
)
_DEFER = re.compile(
    r"\b(?:ask|asking|talk|talking|check|checking|consult|consulting|without|before|unless|until|discuss|speak|"
    r"call|tell|see|with your|with their|under|supervised|supervision)\b"
)


@dataclass(frozen=True)
class Sign:
    category: str
    phrase: str

    @property
    def reason(self) -> str:
        return CATEGORY_REASON[self.category]


def _sentence(padded: str, start: int) -> str:
    begin = max(padded.rfind(f" {mark} ", 0, start) for mark in ".!?") + 1
    ends = [i for i in (padded.find(f" {mark} ", start) for mark in ".!?") if i != -1]
    return padded[begin : min(ends) if ends else len(padded)]


def defers_to_a_clinician(padded: str, start: int) -> bool:
    """ "Don't stop your medication without talking to your neurologist" is good advice, not bad."""
    sentence = _sentence(padded, start)
    return bool(_CARE.search(sentence) and _DEFER.search(sentence))


def find_signs(text: str) -> list[Sign]:
    """Unsafe medical instructions and claims in normalised ``text``, one per category."""
    padded = f" . {text} "  # a leading full stop: an instruction may open the text
    found: dict[str, Sign] = {}
    positions = token_positions(padded)
    tokens = frozenset(positions)
    for pattern in _COMPILED:
        if not pattern.may_match(tokens):
            continue
        if pattern.category in found:
            continue
        for match in pattern.finditer(padded, positions):
            start = match.start()
            if pattern.category == "miracle_cure":
                if negated(padded, start) or "nothing" in preceding_tokens(padded, start):
                    continue
                if _SURGERY_OUTCOME.search(_sentence(padded, start)):
                    continue
            elif pattern.category in ("dose_change", "stop_treatment"):
                if defers_to_a_clinician(padded, start):
                    continue
                if _FIRST_PERSON_STORY.search(padded[max(0, start - 30) : start]) and not match.group(0).startswith(
                    ("you ", "just ", "simply ", "id ")
                ):
                    continue  # "I take 20 mg", "my neurologist started me on 10 mg": an experience
            found[pattern.category] = Sign(pattern.category, match.group(0).strip())
            break
    if not found:  # the shape of advice, where no template named the phrasing
        found = {sign.category: sign for sign in advice_signs(text)}
    return list(found.values())


# --- Advice addressed to the reader --------------------------------------------------------------
#
# The templates above name particular phrasings. Most unsafe advice shares one shape whatever its
# words: a sentence addressed to the reader (an imperative, "you", "everyone", "trust me") that
# names a treatment or a clinician and a change to it (more, skip, stop, lie to, do it yourself).
# A question, a first-person story with no one addressed, and a sentence that sends the reader to a
# clinician do not have that shape.

_SENTENCE_SPLIT = re.compile(r"( [.!?] )")
_LEADERS = (
    r"(?:(?:just|simply|honestly|seriously|so|btw|then|and|also|instead|pro tip|tip|my advice|trust me|ok|okay|"
    r"lol|tbh|to be honest|anyway|but|yeah|plus|oh and|[,:;=-]) )*"
)
_IMPERATIVE = re.compile(
    rf"(?:^|(?:^| )(?:[,;:]|just|simply|then|so|and) ){_LEADERS}(?:take|pop|chew|swallow|double|triple|up|push|demand|ask for|jump|ramp|go|skip|stop|quit|ditch|"
    r"drop|bin|dump|cut|give up|walk|let|ignore|forget|lie|never|dont|save|find|trust|order|buy|get|grab|mix|add|"
    r"keep|throw|avoid|refuse|wean|come off|use|put|inject|have|try|stay away|why not|no reason|chuck|toss|"
    r"tell|ask|learn|practise|practice)(?= |$)"
)
_ADDRESSED = re.compile(
    r"(?:^| )(?:you|your|youre|youll|youd|yourself|yourselves|u|ur|everyone|everybody|anyone|anybody|yall|"
    r"all of you|go ahead|grab some|trust me|my advice|you can too|you should too|do that|works every time)(?= |$)"
)
_QUESTION = re.compile(
    r"^(?:is|are|does|do|did|has|have|can|could|should i|would|anyone|anybody|has anyone|has anybody|wondering|"
    r"(?:what|how|where|which|when|who|why) (?:do|does|did|is|are|should|can|would|have|has|was|were))(?= )"
)
# Verbs that are an instruction wherever they stand, unless a subject or a modal comes just before:
# "if it's bad tonight pop a second one" is advice, "I pop a second one" is a story.
_COMMAND = re.compile(
    r"(?:^| )(?:take|pop|chew|swallow|double|triple|push for|demand|ramp|skip|ditch|bin|dump|give up|ignore|lie|"
    r"grab|mix|wean|inject|quit|stop taking|cut out|let (?:it|the|your)|walk away)(?= )"
)
_NOT_A_COMMAND_AFTER = frozenset(
    {
        "i",
        "we",
        "they",
        "he",
        "she",
        "it",
        "to",
        "would",
        "will",
        "can",
        "could",
        "should",
        "might",
        "may",
        "must",
        "ill",
        "was",
        "is",
        "were",
        "are",
        "be",
        "been",
        "being",
        "a",
        "the",
        "my",
        "his",
        "her",
        "their",
        "your",
        "its",
        "our",
        "what",
        "which",
        "id",
        "who",
        "that",
        "sometimes",
        "also",
        "usually",
        "always",
        "still",
        "never",
        "cant",
        "didnt",
    }
)


def _commands(sentence: str) -> bool:
    for match in _COMMAND.finditer(sentence):
        before = sentence[: match.start()].split()
        if not before or before[-1] not in _NOT_A_COMMAND_AFTER:
            return True
    return False


_TOPIC = compile_template(
    "({TREATMENT}|{AMOUNT}|{CLINICIAN}|neuro|neuros|units|dose|doses|dosage|round|rounds|appointment|appointments|"
    "follow up|refill|tabs|klonopin|lorazepam|xanax|diazepam|valium|cbd|vials|surgery|mvd|injector)",
    MACROS,
)
_CHANGES = {
    "avoid_clinician": re.compile(
        r"(?:^| )(?:never mention|dont mention|dont tell|doesnt need to know|dont need to know|dont let (?:them|your)|"
        r"lie (?:to|on|about)|hide (?:it|them|the)|instead of (?:a|the|your|going to) |save (?:the|your)|"
        r"trust your own|no clue|clueless|at home|yourself|my own (?:meds|eyelids|injections|shots|eyes)|"
        r"manage (?:my|your) own|do (?:my|your) own|practise|practice|on an orange|dont go back|stopped going|"
        r"friends (?:clonazepam|meds|pills|botox)|someone like that)(?= |$)"
    ),
    "stop_treatment": re.compile(
        r"(?:^| )(?:skip|skipping|stop|stopping|stopped|quit|lapse|dont refill|dont renew|give up|gave up|zero|"
        r"walk away|walk out|walked out|run out|bin|break|dont bother|wouldnt bother|let it be|no reason to keep|ignore|"
        r"dependent|replace (?:it|them)|cold turkey|come off|wean|throw (?:away|out)|dont need (?:them|it|the|your))"
        r"(?= |$)"
    ),
    "dose_change": re.compile(
        r"(?:^| )(?:more|double|doubled|extra|second|third|another|whole|ramp|jump|push for|demand|keep adding|"
        r"higher|up it|increase|take (?:two|three|four|2|3|4)|(?:two|three|four|2|3|4) of (?:the|them|those|your|my)|stingy|not enough|isnt enough|is nothing|a joke|pointless|"
        r"vodka|alcohol|wine|beer|booze|a drink|too|on my own|over \d+|under \d+|take two|take more)(?= |$)"
    ),
}


_TAG_WORDS = 5


def _addressed(sentence: str) -> bool:
    return bool(_IMPERATIVE.search(sentence) or _ADDRESSED.search(sentence) or _commands(sentence))


def advice_signs(text: str) -> list[Sign]:
    """Sentences of normalised ``text`` that tell the reader to change treatment or keep away from care."""
    found: dict[str, Sign] = {}
    parts = _SENTENCE_SPLIT.split(f" {text} ")
    sentences = [
        sentence.strip()
        for sentence, end in zip(parts[::2], [*parts[1::2], ""], strict=True)
        if sentence.strip() and end.strip() != "?" and not _QUESTION.search(sentence.strip())
    ]
    for index, own in enumerate(sentences):
        following = sentences[index + 1] if index + 1 < len(sentences) else ""
        joined = f"{own} , {following}" if following and len(following.split()) <= _TAG_WORDS else own
        sentence = joined.replace("why not ", "why ")  # "... manage my own meds. You can too."
        if not _addressed(sentence) or not _TOPIC.search(f" {sentence} "):
            continue
        padded = f" . {sentence} "
        if defers_to_a_clinician(padded, 3):
            continue
        for category, change in _CHANGES.items():
            match = change.search(sentence)
            if match is None or category in found:
                continue
            if category != "avoid_clinician" and negated(f" {sentence} ", match.start() + 1):
                continue  # "don't skip your injections" is good advice
            found[category] = Sign(category, sentence if len(sentence) <= 80 else sentence[:77] + "...")
            break
    return list(found.values())


_NEGATION = re.compile(r"(?:^| )(?:not|no|never|isnt|arent|wasnt|dont|doesnt|didnt|wont|nothing)(?= )")


def denied(text: str) -> bool:
    """A negation anywhere ("Botox is not a permanent cure"): the classifier must not raise an alarm alone."""
    return bool(_NEGATION.search(f" {text} "))
