"""Suicide and self-harm warning signs, as categories from published guidance, matched as patterns.

The categories follow the Columbia Suicide Severity Rating Scale's ideation
levels (wish to be dead, active thoughts, method, intent, plan), its
behaviour items (preparations, self-harm) and the public warning signs
suicide-prevention bodies list (talking about being a burden, having no
reason to live, feeling trapped, saying goodbye, giving possessions away,
wanting to disappear). Each category is a handful of templates (see
:mod:`moderation.patterns`) that allow optional words, inflections and word
order; they run over normalised text, so "I dont", "I don\u2019t" and
"I do not" are one thing.

Pure functions: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from moderation.patterns import Pattern, compile_all, negated, preceding_tokens, token_positions


class Tier(StrEnum):
    """How a post with warning signs is handled; the order is the order of concern."""

    EXPLICIT = "explicit"  # ideation with a wish, thought, method, intent, plan or means; self-harm now
    INDIRECT = "indirect"  # warning signs without a stated wish to die
    SOMEONE_ELSE = "someone_else"  # concern that another person is at risk


EXPLICIT = ("wish_dead", "active_thoughts", "method", "intent", "plan", "means", "self_harm")
INDIRECT = ("burden", "no_reason_to_live", "hopeless_trapped", "goodbye", "giving_away", "disappear")
SOMEONE_ELSE = ("third_person",)

CATEGORY_LABELS = {
    "wish_dead": "wish to be dead",
    "active_thoughts": "thoughts of suicide",
    "method": "thinking about a method",
    "intent": "intent to act",
    "plan": "a plan",
    "means": "having the means",
    "self_harm": "self-harm",
    "burden": "feeling a burden",
    "no_reason_to_live": "no reason to live",
    "hopeless_trapped": "feeling hopeless or trapped",
    "goodbye": "saying goodbye",
    "giving_away": "putting affairs in order",
    "disappear": "wishing to disappear",
    "third_person": "someone else may be at risk",
}

_RELATIONS = (
    "husband|wife|partner|son|daughter|mum|mom|mother|dad|father|brother|sister|friend|gran|grandma|granny|"
    "grandad|grandpa|grandmother|grandfather|aunt|uncle|boyfriend|girlfriend|fiance|fiancee|twin|cousin|"
    "neighbour|neighbor|teen|teenager|child|kid|niece|nephew|colleague|flatmate|roommate|stepdad|stepmum|"
    "stepmom|mil|fil|bestie|buddy|mate|carer|patient|client|dad's|mum's|nan|grandson|granddaughter"
)

MACROS = {
    "OTHER": (
        rf"(he|she|they|hes|shes|theyre|my (twin|best|teenage|elderly|older|younger|little|big|adult|"
        rf"late|step)? ({_RELATIONS})|(a|one of our|another|a fellow|our|this) (member|members|poster|user)|"
        rf"(someone|somebody) (here|on here|in this group|on the forum|i know|i love|close to me))"
    ),
    "DIE": (
        "(die(?! (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cringe))(?! laughing)|be dead|"
        "not be alive|not be here anymore|not be around anymore|not exist|not exist anymore|"
        "not wake up|never wake up|stop existing|stop living|sleep forever|be gone for good|"
        "(go|fall) to? sleep and (not|never) wake up)"
    ),
    "WANT": (
        "(want|wanted|wanting|wish|wished|wishing|need|needed|long|longing|pray|prayed|praying|hope|hoping|"
        "ready|would like|d like|yearn|crave)"
    ),
    "KILL": (
        "(kill|killing|killed|kil|end|ending|ended|off|offing|top|topping|hang|hanging|shoot|shooting|drown|"
        "drowning|poison|poisoning|do|doing)"
    ),
    "HARM": (
        "(hurt|hurting|harm|harming|harmed|cut|cutting|burn|burning|burned|burnt|hit|hitting|punch|punching|"
        "scratch|scratching|scratched|starve|starving|bite|biting|injure|injuring|slash|slashing|bang|banging)"
    ),
    "DRUGS": (
        "(pills|tablets|meds|medication|medications|medicine|sleeping pills|painkillers|clonazepam|baclofen|"
        "insulin|oxy|opioids|sleepers|benzos|diazepam|valium|tramadol|codeine|gabapentin|stash)"
    ),
    "THINK": "(think|thinking|thought|thoughts|dream|dreaming|fantasise|fantasize|fantasising|fantasizing|obsess)",
}

PATTERNS: dict[str, tuple[str, ...]] = {
    "wish_dead": (
        "(wish|wished|hope|hoped|hoping|pray|prayed|praying) (that)? (i|id) (hadnt|had not|didnt|never|wouldnt|would not|could not|couldnt) (have)? (woken|wake|waken|woke) (up)?",
        "(wish|wished|wishing) (i|they|we) (just)? (wasnt|werent|was not|were not) (alive|here|around|born) (anymore)?",
        "if i died … (relieved|glad|happy|grateful|a relief|fine with it|welcome it)",
        "(not sure|unsure|dont know if|dont know whether) (i|if i) (even)? (want|wanna) to (live|be alive|be here|go on|"
        "keep going|keep living|exist)",
        "(go|went|going) to (bed|sleep) (hoping|praying|wishing) … (not|never) (wake|waking)",
        "i … {WANT} to? {DIE}",
        "{WANT} to {DIE}",
        "(want|wanted|wish|wished) (i|it) (was|were|could be|would be|d be|id be) (dead|over for good)",
        "i (wish|wished|pray|prayed|hope|hoping) … i (was|were) dead",
        "(rather|better off|better) (be)? (dead|die|not exist|not be alive)",
        "(dont|didnt) (really|even)? want to (live|be alive|exist|wake up|be here anymore|be around anymore|"
        "keep living|go on living|be in this world|do life anymore|live anymore|live like this)",
        "(wish|wished|pray|prayed|hope|hoping) (that)? i (dont|wont|wouldnt|never|didnt) wake up",
        "(wish|wished) i (was|were|had) never (been)? born",
        "(being)? dead would be (so)? (peaceful|easier|better|a relief|nice)",
        "(death|dying) would be (a)? (relief|welcome|easier|better|peaceful|mercy)",
        "(welcome|look forward to|longing for) death",
        "cant wait to die",
        "(die|dying) in my sleep",
        "(wish|wishing|hope|hoping|pray|praying) (a|that a|the) (bus|car|truck|lorry|train) would … (hit|kill) me",
        "i (want|wanted|wish) to be dead",
        "(peaceful|peace|relief) to (just)? (die|be dead|not wake up)",
        "(want|wish|need) (it all|everything|my life|life) to (end|be over|stop)",
        "i … (want|wanted|wish) (it|this) … to be over (for good|forever|permanently)",
    ),
    "active_thoughts": (
        "{THINK} (about|of) (killing|killing myself|suicide|unaliving|ending myself|offing myself)",
        "{KILL} myself",
        "(do|did|doing) myself in",
        "(end|ending|take|taking|took) my (own)? life",
        "(end|ending) it all",
        "(end|ending) things",
        "suicidal",
        "(?<!by )(?<!to )suicide(?! (?:prevention|hotline|hotlines|line|lines|helpline|helplines|awareness|rate|"
        "rates|risk|squad|watch|number|numbers|crisis line))",
        "{THINK} (about|of) (ending it|dying|death|not being here|not being around|checking out|"
        "catching the bus|catch the bus|taking my life|jumping|the end)",
        "(catch|catching) the bus",
        "(urge|urges|voice|voices|brain|head) … (to|tell me to|telling me to) (kill|end|hurt) (myself|it)",
        "(thoughts|thinking|think) (about|of) (suicide|killing myself|ending my life|dying|death) (again|a lot|every day|constantly|nonstop)",
        "suicidal (thoughts|ideation|feelings)",
    ),
    "method": (
        "(swerve|swerving|swerved|steer|steering|drive|driving|veer|veering|crash|crashing) (the car)? (into|off) (the|a)? (oncoming)? (traffic|tree|wall|bridge|lorry|truck|river|cliff|road)",
        "(let|letting) go of the wheel",
        "(which|the right|a high enough) (bridge|building|cliff|roof)",
        "(train tracks|railway|the tracks|the platform|the edge) … (step|stepping|jump|jumping|walk|walking) (out|off|in)?",
        "how (to|i could|i would|id|i can|i might|i should|people) … ({DIE}|kill myself|end it|end my life|"
        "do it|overdose|end things)",
        "(lethal|fatal|deadly) (dose|amount|doses)",
        "how (many|much) … {DRUGS}? … (would|does|will|to|it takes|it would take) (it)? (take|kill)",
        "(research|researching|researched|searching|searched|looking up|looked up|googling|googled|reading about) "
        "… (ways|how|methods|method) to ({DIE}|end it|kill myself|end my life|overdose)",
        "(jump|jumping) (off|from|in front of) (the|a|that)? (bridge|building|roof|train|cliff|car park|balcony)",
        "(walk|step|stepping|walking) in front of (a|the) (train|bus|truck|lorry|car)",
        "(hang|hanging) myself",
        "(what|which) (pills|tablets|meds) … (kill|lethal|fatal|enough to)",
        "(know|knew|figured out|worked out) (exactly)? (how|where|what) (id|i would|i will|ill|i could) (do it|use)",
        "(garage|bridge|rope|train tracks) keeps coming into my (head|mind)",
        "(what|how much) it would take",
        "(take|taking|swallow|swallowing) (everything|all of them|all my pills|the whole (bottle|box|packet|lot)) (at once|in one go)?",
        "(let go of|letting go of|crash|crashing|drive|driving) (the wheel|the car) … (into|off)",
        "(make|making) it look like an accident",
        "(step|stepping|walk|walking|jump|jumping) out in front of",
    ),
    "intent": (
        "(going|gonna|planning|plan|decided|about|ready|intend|intending|made up my mind|determined|set) to "
        "(kill myself|end it|end it all|end my life|take my life|take my own life|go through with it|end things|"
        "catch the bus|do it (tonight|today|soon|this week|this weekend|tomorrow))",
        "(im|i am) (going through with it|doing it tonight|done with life|done living|checking out)",
        "(tonight|today|tomorrow) is the (night|day)",
        "this is (the end|it) for me",
        "no (talking|talk) me (down|out of it)",
        "ill (do it|end it) (tonight|soon|this weekend|tomorrow|when)",
        "(im|i am) (going|gonna) to (do it|end it|ctb)",
        "(going|gonna) to do it (this time|for real|now)",
        "(the only thing left is|all thats left is) doing it",
        "(decided|made up my mind) … (where|when|how)",
    ),
    "plan": (
        "(wrote|written|writing|write|left|leave) (a|my|the)? (suicide|goodbye|last) (note|notes|letter|letters)",
        "(wrote|written|writing|left) (notes|a note|letters) (to|for) (my|everyone|each)",
        "(picked|chosen|chose|set|decided on|settled on) (a|the)? (date|day|time|place|spot) (for it|to do it)?",
        "(made|have|got|making|ive got) (a|my)? plan (to|for|of) ({DIE}|dying|end it|ending it|kill myself|killing myself)",
        "(when|once|after) (everyone|my husband|my wife|they|the kids|my family|he|she) (is|are|goes|go|leave|"
        "leaves|has gone|have gone|is asleep|are asleep) … (ill|i will|im going to|im gonna) (do it|end it)",
        "(have|got) it (all)? planned",
        "(ive|i have|ive got|i got|i now have|i have got) a plan (now)?",
        "(planned|planning|plan) it (out|for|all)",
        "my plan is to",
        "(wrote|written|writing|left) (my|a|the) note",
        "(letters|notes) (written|done|ready)",
        "(date|day|time) (is)? (chosen|picked|set|decided)",
        "(scheduled|queued) … (the morning after|after im gone|for after)",
    ),
    "means": (
        "so (i|ive|i have) (got)? enough",
        "(more|extra) (sleeping tablets|sleeping pills|tablets|pills|painkillers) than (i|id) (need|needed|should have)",
        "(saved|saving|stockpiled|stockpiling|hoarding|hoarded|stashed|stashing|collecting|collected|"
        "squirrelling|squirreling|hiding|hid|counted|counting|built up|building up|saving up) (up)? (all)? "
        "(of)? (my|the|enough|some|a lot of|loads of|every)? … {DRUGS}",
        "enough {DRUGS} to",
        "(bought|got|have|found|ordered|buy|buying|get) (a|the|some)? (rope|noose|gun|shotgun|pistol|razor blades)",
        "the (gun|rope|noose) (is|are) (in|under|ready|loaded|hidden)",
        "(i|ive|i have|ive got|i got) (a|the|my \\w+ old|my) (gun|rope|noose|shotgun)",
        "(gun|rope) (is)? (in|under) (the|my) (closet|drawer|nightstand|wardrobe|garage|bed)",
        "(have|got|keep) (what i need|the stuff i need|everything i need) (to do it)?",
        "(exit kit|exit bag)",
        "(kept|keeping|keep) (all)? (my)? old {DRUGS}",
        "(stash|ziplock|supply) of … {DRUGS}",
        "{DRUGS} in a (ziplock|bag|box|shoebox)",
        "(more|extra) {DRUGS} than i need",
        "so i have enough",
        "(the|my) {DRUGS} (are|is) (ready|saved|counted|lined up|hidden|waiting)",
    ),
    "self_harm": (
        "(hit|hitting|punch|punching|slap|slapping) my (own)? (face|head|cheek|eye)",
        "(bang|banging|banged|hit|hitting|smash|smashing) my head (against|on|into)",
        "{HARM} myself",
        "self (harm|harming|harmed)",
        "(cutting|cut) (again|my arms|my wrists|my legs|my thighs|deeper)",
        "(relapsed|relapse|relapsing) (on|with|into)? (self harm|cutting)",
        "(scratch|scratching|scratched|cut|cutting|burn|burning|burned|burnt|hit|hitting) my (arms|arm|wrists|"
        "wrist|legs|thighs|skin|head) (till|until|on purpose|to feel|so hard|against)",
        "(scars|marks|cuts) on my (arms|wrists|legs|thighs) (are)? (fresh|new)",
        "sh (again|last night|tonight|today)",
        "(hit|hitting|punch|punching|slap|slapping|bang|banging|scratch|scratching) my (own)? (face|head|arms|legs|cheek) … (hard|until|till|bruises|bleed|bleeds)",
        "(burning|burn|burned|cut|cutting) my (arm|arms|wrist|wrists|legs|thighs|skin) (with|on purpose)",
        "(covered|full) (in|of) cuts",
        "(dig|digging) my nails into",
        "(till|until) (it|they) (bleed|bleeds|bled)",
        "on purpose (till|until|to)",
    ),
    "burden": (
        "(theyd|hed|shed|everyoned|youd|itd) be (so|much)? (better off|happier|freer|relieved|fine|easier) (without me|if i)",
        "better off … (without me|if i (was|were|wasnt|werent|m|am)? (gone|dead|not here|not around|here|around))",
        "(everyone|they|people|my family|my kids|my wife|my husband|my partner|the world|you all|he|she) … "
        "(would|will|d) be (so)? (better off|happier|freer|relieved|fine) (without me|if i)",
        "(everyone|they|my family) would be relieved",
        "(im|i am|i feel like|i feel|feel like|im just|being|i m|feeling like|feeling|such) (a|such a|nothing but a|"
        "just a|only a|a huge|a massive|a big)? burden",
        "burden (to|on|for) (everyone|my|them|him|her|the people)",
        "(they|you all|everyone) would (all)? be (fine|better) without me",
        "(make|making|makes|made) (everyone|everyones|their|my family|my familys|his|her|other peoples|people) "
        "(life|lives) (harder|worse|miserable|hell)",
        "(nobody|no one|noone) (would|will|d|is going to) (even|really)? (miss|care)",
        "(nobody|no one|noone) (would|will|d) (even|really)? notice (me|if i|if im|when im)",
        "dead weight",
        "(happier|better|easier|freer|fine|better off) … if i (wasnt|werent|was not|wasn't) (here|around|alive)",
        "if i (wasnt|werent) (here|around) (my|they|he|she|everyone|the)",
        "(all|only) i (do|am) is (take|a drain|a problem|trouble)",
        "(dragging|holding|pulling) (everyone|them|my family|him|her|us) down",
        "just by existing",
    ),
    "no_reason_to_live": (
        "(no|nothing|any|zero|not any) (reason|point|purpose) (to|in|for|of) (live|living|go on|going on|keep going|"
        "carry on|carrying on|being here|be here|exist|existing|life|anything|me|it all|trying anymore)",
        "(nothing|no one|nobody|nothing left) (left)? (to live for|keeping me (here|going|alive)|worth living for)",
        "nothing keeping me (here|going|alive)",
        "(whats|what is) the point (of|in)? (living|anything|life|going on|it all|any of it|even trying|me)",
        "life (isnt|is not|aint|not|is no longer|no longer) worth (living|it)",
        "not worth living",
        "no future (for me|left)",
        "(my)? (life|existence) is (pointless|meaningless|over|worthless)",
        "(pointless|meaningless|worthless) (life|existence)",
        "(dont|cant) see (the point|a point|any point|a future|any future) (anymore|in anything|in living)?",
        "(whats|what is|what was) the point (anymore|now)",
        "what am i (even)? living for",
        "(life|my life) has no (meaning|point|purpose)",
        "(why|what) (bother|is the point) (living|anymore|at all|even trying)?",
        "(my|the|a|any|single) reason to (live|keep going|keep doing this|carry on|be here)",
        "point of living",
        "pointless . all of it",
    ),
    "hopeless_trapped": (
        "how (much)? longer i (can|could) (hold on|keep going|do this|take this|last|cope)",
        "(cant|couldnt) (go on|keep going|carry on|do this anymore|take (it|this|any more|much more) anymore|"
        "cope anymore|keep doing this|live like this|handle (it|this) anymore|bear (it|this)|face (it|another day)|"
        "do it anymore|stand it anymore|keep fighting)",
        "(no|there is no|theres no) (way out|escape|hope|light at the end)",
        "(trapped|stuck|prisoner) (in|inside) (my|this) (own)? (body|face|life|head|mind)",
        "(lost|losing|lost all) (all)? hope",
        "(feel|feeling|im|everything is|it is|its|all) (so|completely|totally|utterly)? hopeless",
        "(done|finished) with (life|living|everything|it all|all of it|all this)",
        "(give|giving|gave|given) up (on life|on everything|on living|on myself)",
        "(tired|sick|exhausted|weary) of (living|being alive|existing|life|fighting|everything|being me)",
        "(want|need|wish) (it|this|everything|the pain|it all) to (stop|end) (forever|for good|permanently)",
        "(cant|couldnt) see (a|any) (way|future) (out|forward|ahead)?",
        "(no|nothing) (left)? to (look forward to|hope for)",
        "(never|not ever) (going to|gonna)? (get|getting) better",
        "(stuck|trapped) (like this)? (forever|for the rest of my life)",
        "(run|ran) out of (options|fight|hope|strength)",
        "how much longer i can (hold on|keep going|do this|take this|last)",
        "(im|i am|i feel|feel) (so)? trapped",
        "i (just)? cant anymore",
        "(never|not) going to end",
    ),
    "goodbye": (
        "(goodbye|bye|farewell) (to)? (everyone|all|you all|everybody|friends|guys|forum|support circle|folks|"
        "all of you|my friends|circle)",
        "(this is|this will be|this is probably|its|this might be) my (very)? last (post|message|time)",
        "last time (ill|i will|im) (be)? (posting|logging in|here|on here|writing)",
        "(signing|logging) off (for good|forever|for the last time)",
        "(wont|not going to|not gonna|dont think ill|not) be (here|around|posting|on here) (much|for)? (longer|long)",
        "(wont|will not) be (back|around|here|posting|needing) (anymore|again|after (tonight|today))",
        "(if you dont hear from me|you wont hear from me|you will not hear from me) (again)?",
        "(thank|thanks|thanking) … (everyone|you all|all of you) … before i (go|leave)",
        "(say|said|saying) (goodbye|thank you|thanks) while i (still)? can",
        "remember me",
        "(this is|its|it is) goodbye",
        "(so long|farewell) (everyone|all|friends|guys)",
        "(this is|this will be|its) (my)? (final|last) post",
        "final post",
        "(deleting|delete) my account … (goodbye|so long|take care|thank)",
        "(at peace with|made peace with) (it|my decision)",
        "(take care of|look after) (each other|yourselves) (for me)?",
        "(love|loved) you all … (goodbye|bye|remember)",
        "wont (be)? (need|needing) (my|the) next (injection|appointment|prescription)",
    ),
    "giving_away": (
        "(made|making|make) (arrangements|plans) for my (cat|dog|pets|cats|dogs|kids|children) … (after|when im gone|once im gone|"
        "in case)",
        "(giving|gave|given|been giving) (away)? (all)? my (jewellery|jewelry|clothes|books|records|guitar|collection|savings|"
        "treasures|favourite things|favorite things|art|paintings|tools|watches|rings) (away)? (to|and)",
        "(giving|gave|give|given|handing|handed) (away)? (all|most)? (of)? my (things|stuff|belongings|possessions)",
        "(wont|will not|dont|wouldnt|not) (be)? (need|needing) (them|it|this|these|those|him|her) (anymore|where im going|after|soon)?",
        "where im going",
        "(gave|giving|give|given) (my|away my) … (to my|to|away) … (wont|dont|not) (be)? (need|needing)",
        "who gets (my|what)",
        "(all)? my passwords",
        "just in case",
        "(everything|affairs|things|paperwork|my will) (is|are)? in order",
        "(sorted|sorting|put|putting|got|getting) (out)? my (affairs|will|things|paperwork) (in order)?",
        "(found|finding|find) (a)? (new)? home for my (cat|dog|pets|cats|dogs)",
        "(rehome|rehoming|rehomed) my (cat|dog|pets|cats|dogs)",
        "(who|someone) (will|to|can|could|would) (take care of|look after|have|feed) my (cat|dog|kids|pets|things) "
        "(when im gone|after im gone|after|once)",
    ),
    "disappear": (
        "(want|wanted|wish|wished|wanna|long|need|needed|would love) (to|i could|i would|i can|i was able to|"
        "i could just|to just|i might)? (just)? (disappear|vanish|fade away|stop existing|cease to exist|be gone|"
        "evaporate|not exist)",
        "(crawl|curl) (up)? into a hole … (for good|forever|and die|never come out)",
        "(disappear|vanish|fade away) (forever|for good|completely|and never come back)",
        "(be|get) (erased|deleted|wiped out)",
    ),
    "third_person": (
        "{OTHER} … (wants|wanted|want|wishes|wished|prays|prayed|hopes) (to)? ({DIE}|end it|end it all|"
        "end (his|her|their) life|kill (himself|herself|themselves)|disappear)",
        "{OTHER} … (not to wake up|to die|(she|he|they) (was|were) dead)",
        "{OTHER} … (is|has been|seems|sounds|might be|could be|may be|was|became|getting) (so|really|very)? "
        "(suicidal|talking about (suicide|dying|ending it|death|not being here|being a burden|not being around))",
        "(kill|killing|killed|hurt|hurting|harm|harming|harmed|cut|cutting|end|ending|hang|hanging|starve|"
        "starving) (himself|herself|themselves|themself)",
        "(end|ending|take|taking|took) (his|her|their) (own)? life",
        "(his|her|their) (suicide|goodbye) (note|letter|post)",
        "{OTHER} … (says|said|keeps saying|told me|tells me|talks about|talked about|texted|messaged|posted|"
        "keeps talking about|mentioned|wrote|has been saying|is saying|keeps telling me) … "
        "({DIE}|dying|suicide|death|better off without|a burden|not being (here|around)|not waking up|"
        "ending it|end it|goodbye|sorry for everything|no point|cant go on|no reason to live)",
        "(worried|scared|afraid|frightened|concerned|terrified) (that|about|for)? … (might|will|may|could|is going to|"
        "is gonna|would|wants to) (hurt|harm|kill|do something|end it|take (his|her|their) life) "
        "(himself|herself|themselves|stupid|to (himself|herself|themselves))?",
        "(worried|scared|afraid|concerned|terrified) (about|for) (him|her|them|my \\w+|a member|(his|her|their) "
        "(safety|life))",
        "(found|saw|discovered|noticed) … (searches|search history|browser history|notes|note|cuts|scars|marks) … "
        "(on|in|under|about) (his|her|their)",
        "(how|what) (do|can|should|could) i (help|support|talk to|say to) … (suicidal|wants to die|"
        "(is|keeps) talking about (suicide|dying|death)|doesnt want to live)",
        "(is|isnt|has|hasnt) (been)? (answering|replying|posted|online) … (since|after) (her|his|their) (last )?"
        "(goodbye|post)",
        "{OTHER} … (gave|giving|is giving) away (all|most)? (of)? (his|her|their) (things|stuff|belongings)",
        "{OTHER} … (gave|giving|given|cleaned out|made a list of who gets) … (wont need|im worried|im scared|who gets what)",
        "{OTHER} … (doesnt|dont|cant) see the point",
        "(keeps|kept) asking what the point is",
        "(her|his|their) (last|latest|final) post … (goodbye|worried|scared)",
        "(check|checking) on (them|him|her)",
        "(has anyone|anyone) heard from",
        "(your|that) post … (worried|scared|frightened) me",
        "(picked|chosen) a date",
        "(burns|cuts|hurts|hits) (himself|herself|themselves)",
        "(writing|wrote|written) letters to (all of us|everyone|us)",
        "{OTHER} … (said|says|told) … (wont|not) have to (deal with|worry about|look after) (me|him|her)",
    ),
}

_COMPILED: tuple[Pattern, ...] = compile_all(PATTERNS, MACROS)
_FIRST_PERSON = frozenset({"i", "im", "ive", "id", "ill", "me", "myself", "my", "mine"})
_THIRD_PERSON = frozenset(
    {"he", "she", "they", "hes", "shes", "theyre", "him", "her", "them", "his", "their", "hers"}
    | set(_RELATIONS.split("|"))
)
_SECOND_PERSON = frozenset({"you", "youre", "your", "youve", "youd", "youll", "yourself", "anyone", "someone"})
_REPORTED_SPEECH = re.compile(
    r"(?:said|says|told me|tells me|texted|messaged|wrote|posted|keeps saying|whispered|kept saying)\s*:?\s*$"
)


@dataclass(frozen=True)
class Sign:
    category: str
    phrase: str

    @property
    def tier(self) -> Tier:
        if self.category in EXPLICIT:
            return Tier.EXPLICIT
        if self.category in INDIRECT:
            return Tier.INDIRECT
        return Tier.SOMEONE_ELSE


def _speaker(padded: str, start: int, matched: str) -> str:
    """Who a first-person-less phrase is about: "self", "other" (a third person) or "you" (advice to a reader)."""
    if any(token in _FIRST_PERSON for token in matched.split()):
        return "self"
    for token in reversed(preceding_tokens(padded, start, limit=8)):
        if token in _FIRST_PERSON:
            return "self"
        if token in _THIRD_PERSON:
            return "other"
        if token in _SECOND_PERSON:
            return "you"
    return "self"


@dataclass(frozen=True)
class Scan:
    signs: list[Sign]
    negations: int

    @property
    def denied(self) -> bool:
        """Whether the text names warning signs only to deny them ("I'm not suicidal", "I would never hurt myself").

        The classifier reads words, not grammar: when every pattern match is negated, it must not
        raise an alarm on its own.
        """
        return self.negations > 0 and not self.signs


def find_signs(text: str) -> list[Sign]:
    """Warning signs in normalised ``text`` (the author's own words), one per category, in pattern order."""
    return scan(text).signs


def scan(text: str) -> Scan:
    """The warning signs in normalised ``text``, and how many matches a negation cancelled."""
    padded = f" {text} "
    found: dict[str, Sign] = {}
    negations = 0
    positions = token_positions(padded)
    tokens = frozenset(positions)
    for pattern in _COMPILED:
        if not pattern.may_match(tokens):
            continue
        if pattern.category in found and pattern.category != "third_person":
            continue
        for match in pattern.finditer(padded, positions):
            if negated(padded, match.start()):
                negations += 1
                continue
            matched = match.group(0).strip()
            category = pattern.category
            if category != "third_person":
                speaker = _speaker(padded, match.start(), matched)
                if speaker == "you":
                    continue
                if speaker == "other":
                    category = "third_person"
            found.setdefault(category, Sign(category, matched))
            break
    return Scan(list(found.values()), negations)


def reported_signs(quoted_passages: list[tuple[str, str]]) -> list[Sign]:
    """Concern for someone else from reported speech: 'my wife said "I want to die"'.

    Takes (what came just before the quote, the quote), both normalised. A quote of crisis words
    that nobody is reported to have said (a line from a book, a quoted post) is not a sign.
    """
    for before, quote in quoted_passages:
        if not _REPORTED_SPEECH.search(before):
            continue
        signs = find_signs(quote)
        if any(sign.tier is not Tier.SOMEONE_ELSE for sign in signs):
            first = next(sign for sign in signs if sign.tier is not Tier.SOMEONE_ELSE)
            return [Sign("third_person", f"reported: {first.phrase}")]
    return []
