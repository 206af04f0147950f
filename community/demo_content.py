"""Sample conversations for the demo boards, written around the guides' themes.

Data only; ``community.seed`` writes it. The voice is peers sharing what
happened to them — never instructions — and the threads keep pointing back to
doctors, especially when spasms persist or change. Demo members are
pseudonymous and cannot log in.

Reactions name the post they land on by index: 0 is the opening post, 1 the
first reply, and so on. Tip outcomes list who tried the tip and whether it
helped them.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Condition
from community.models import ReactionKind, TopicKind

HELPFUL = ReactionKind.HELPFUL
SUPPORT = ReactionKind.SUPPORT
ME_TOO = ReactionKind.ME_TOO


@dataclass(frozen=True)
class DemoMember:
    name: str
    condition: str
    condition_public: bool = False


@dataclass(frozen=True)
class DemoTopic:
    board: str
    kind: str
    author: str
    title: str
    days_ago: float
    body: str
    tags: tuple[str, ...] = ()
    replies: tuple[tuple[str, str], ...] = ()
    reactions: tuple[tuple[str, str, int], ...] = ()
    helped: tuple[str, ...] = ()
    not_helped: tuple[str, ...] = ()


DEMO_EMAIL_DOMAIN = "demo.support-circle.invalid"

# Hours after the opening post at which the 1st, 2nd, ... reply arrives.
REPLY_DELAYS_HOURS = (1.5, 4, 9, 19, 27, 40, 52, 70)

DEMO_MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("calm_harbor", Condition.HEMIFACIAL_SPASM, condition_public=True),
    DemoMember("blinking_owl", Condition.BLEPHAROSPASM, condition_public=True),
    DemoMember("steady_hands", Condition.HEMIFACIAL_SPASM),
    DemoMember("sunlit_fern", Condition.BLEPHAROSPASM),
    DemoMember("quiet_tide", Condition.MEIGE_SYNDROME, condition_public=True),
    DemoMember("morning_heron", Condition.HEMIFACIAL_SPASM),
    DemoMember("willow_path", Condition.HEMIFACIAL_SPASM, condition_public=True),
    DemoMember("amber_lantern", Condition.BLEPHAROSPASM),
    DemoMember("gentle_kestrel", Condition.CAREGIVER, condition_public=True),
    DemoMember("river_stone", Condition.CAREGIVER),
)

DEMO_TOPICS: tuple[DemoTopic, ...] = (
    # --- Newly diagnosed ---------------------------------------------------------------
    DemoTopic(
        board="newly-diagnosed",
        kind=TopicKind.QUESTION,
        author="calm_harbor",
        title="Just diagnosed with hemifacial spasm — what do you wish you had known at the start?",
        days_ago=20.5,
        tags=("hemifacial-spasm",),
        body=(
            "Hi all. After about a year of my left eye and cheek twitching, a neurologist finally gave it a name "
            "last week: hemifacial spasm. I'm relieved it has a name, and also a bit overwhelmed.\n\n"
            "For those of you further along: **what do you wish someone had told you in the first few months?** "
            "Not looking for medical advice, just the human side of it."
        ),
        replies=(
            (
                "steady_hands",
                "Welcome, and I'm glad you have an answer. The thing I wish I'd known: it is very common for it to "
                "get worse when you're tired or stressed, and that doesn't mean it's progressing. Keeping a simple "
                "diary of bad days helped me have better conversations with my neurologist.",
            ),
            (
                "willow_path",
                "That you're allowed to ask lots of questions at appointments. I used to nod along and then think of "
                "everything on the bus home. Now I write them down beforehand.\n\n"
                "And if anything changes — it spreads, it comes with numbness, weakness or hearing changes, or it "
                "just keeps getting worse — don't wait for the next routine appointment, get seen.",
            ),
            (
                "blinking_owl",
                "Mine is blepharospasm rather than HFS, but: most people don't notice as much as you think they do. "
                "It took me a long time to believe that.",
            ),
            (
                "calm_harbor",
                "Thank you, all of you. The diary idea is great, starting one tonight.",
            ),
        ),
        reactions=(
            ("steady_hands", SUPPORT, 0),
            ("sunlit_fern", SUPPORT, 0),
            ("quiet_tide", SUPPORT, 0),
            ("calm_harbor", HELPFUL, 1),
            ("morning_heron", HELPFUL, 1),
            ("calm_harbor", HELPFUL, 2),
            ("amber_lantern", HELPFUL, 2),
            ("sunlit_fern", ME_TOO, 3),
        ),
    ),
    DemoTopic(
        board="newly-diagnosed",
        kind=TopicKind.EXPERIENCE,
        author="sunlit_fern",
        title="It took eight months to get a name for my eyelids closing on their own",
        days_ago=17,
        tags=("blepharospasm", "eye-strain"),
        body=(
            "Sharing in case it helps someone who is still waiting. For months I was told it was dry eye, then "
            "tiredness, then 'just stress'. Drops helped a little but my eyes kept clamping shut in bright shops "
            "and while driving, which scared me.\n\n"
            "What finally moved things along was asking my GP for a referral to a neuro-ophthalmologist and "
            "bringing short phone videos of the episodes. Seeing it happen made all the difference.\n\n"
            "If your spasms are persisting or getting in the way of driving or work, please keep pushing to be "
            "seen. You're not overreacting."
        ),
        replies=(
            (
                "amber_lantern",
                "The videos tip is so good. Mine never happened in the consulting room, of course.",
            ),
            (
                "blinking_owl",
                "Eight months sounds painfully familiar. Glad you're through to the other side of the waiting.",
            ),
        ),
        reactions=(
            ("amber_lantern", ME_TOO, 0),
            ("blinking_owl", ME_TOO, 0),
            ("quiet_tide", HELPFUL, 0),
            ("calm_harbor", HELPFUL, 0),
            ("sunlit_fern", SUPPORT, 2),
        ),
    ),
    DemoTopic(
        board="newly-diagnosed",
        kind=TopicKind.QUESTION,
        author="amber_lantern",
        title="What did you ask at your first specialist appointment?",
        days_ago=9,
        tags=("blepharospasm",),
        body=(
            "After a few years of my GP managing my blepharospasm, I've been referred to a movement disorders "
            "specialist next month. I only get a short slot and I know I'll freeze. What did you ask, or wish "
            "you'd asked?"
        ),
        replies=(
            (
                "calm_harbor",
                "Things I asked:\n\n"
                "- What else could this be, and do I need any scans?\n"
                "- What are the treatment options, and what are the usual side effects?\n"
                "- Is there anything that tends to make it worse that I should keep track of?\n"
                "- Who do I contact if it changes before my next appointment?",
            ),
            (
                "river_stone",
                "I'm a caregiver, and I went along with my wife to her first one. Having a second person there to "
                "take notes meant she could just talk. Might be worth bringing someone if you can.",
            ),
            (
                "amber_lantern",
                "Copying this list straight into my notebook. And a note-taker is a lovely idea, I'll ask my sister.",
            ),
        ),
        reactions=(
            ("amber_lantern", HELPFUL, 1),
            ("quiet_tide", HELPFUL, 1),
            ("willow_path", HELPFUL, 1),
            ("amber_lantern", HELPFUL, 2),
            ("gentle_kestrel", SUPPORT, 0),
        ),
    ),
    # --- Coping tips -----------------------------------------------------------------------
    DemoTopic(
        board="coping-tips",
        kind=TopicKind.TIP,
        author="blinking_owl",
        title="A warm compress for ten minutes before bed",
        days_ago=19,
        tags=("compress", "blepharospasm", "sleep-routine"),
        body=(
            "Small thing that has become part of my evening: a clean flannel soaked in warm (not hot) water, "
            "folded over my closed eyes for about ten minutes while I listen to a podcast.\n\n"
            "My eyelids feel less tight afterwards and I fall asleep more easily. It doesn't stop the spasms, but "
            "the evenings feel calmer. Check the temperature on your wrist first, and if your eyes are sore or "
            "red, ask your eye doctor before trying it."
        ),
        replies=(
            (
                "sunlit_fern",
                "Tried this for a week. It's now the best ten minutes of my day, honestly.",
            ),
            (
                "steady_hands",
                "I use a microwaveable wheat bag wrapped in a towel over my cheek. Same idea, and it stays warm "
                "longer.",
            ),
            (
                "amber_lantern",
                "Didn't change much for me, but I liked the excuse to sit still with my eyes closed.",
            ),
        ),
        reactions=(
            ("sunlit_fern", HELPFUL, 0),
            ("amber_lantern", HELPFUL, 0),
            ("calm_harbor", HELPFUL, 0),
            ("quiet_tide", HELPFUL, 0),
            ("blinking_owl", HELPFUL, 2),
        ),
        helped=("sunlit_fern", "steady_hands", "calm_harbor", "quiet_tide", "morning_heron", "willow_path"),
        not_helped=("amber_lantern",),
    ),
    DemoTopic(
        board="coping-tips",
        kind=TopicKind.TIP,
        author="steady_hands",
        title="A cold compress when my cheek flares up in the afternoon",
        days_ago=12,
        tags=("compress", "hemifacial-spasm"),
        body=(
            "Opposite of the warm compress thread: on really twitchy afternoons I hold a cold gel pack wrapped in "
            "a tea towel against my cheek for a few minutes. Never straight on the skin.\n\n"
            "For me it takes the edge off the tight, pulling feeling. Curious whether anyone else finds cold "
            "better than warm, or whether it's just me."
        ),
        replies=(
            (
                "morning_heron",
                "Cold works better for me too, warm makes my face feel puffy.",
            ),
            (
                "calm_harbor",
                "Warm person here, cold made me tense up. Funny how different we all are.",
            ),
        ),
        reactions=(
            ("morning_heron", ME_TOO, 0),
            ("willow_path", HELPFUL, 0),
        ),
        helped=("morning_heron", "willow_path"),
        not_helped=("calm_harbor", "amber_lantern"),
    ),
    DemoTopic(
        board="coping-tips",
        kind=TopicKind.TIP,
        author="morning_heron",
        title="Box breathing when I feel a spasm building in public",
        days_ago=15,
        tags=("meditation-breathing", "stress-anxiety"),
        body=(
            "When I'm in a queue or a meeting and feel the twitching start, I used to panic, which made it worse. "
            "Now I do box breathing: in for four, hold for four, out for four, hold for four, a few rounds.\n\n"
            "It doesn't make the spasm go away, but it stops the panic spiral on top of it. I learned it from a "
            "free mindfulness course at my local library."
        ),
        replies=(
            (
                "gentle_kestrel",
                "My husband has HFS and I've started doing this with him before social things. It helps us both, "
                "to be honest.",
            ),
            (
                "quiet_tide",
                "Counting in my head also gives my brain something else to do instead of worrying who's looking.",
            ),
        ),
        reactions=(
            ("gentle_kestrel", HELPFUL, 0),
            ("calm_harbor", HELPFUL, 0),
            ("quiet_tide", HELPFUL, 0),
            ("morning_heron", SUPPORT, 1),
        ),
        helped=("gentle_kestrel", "calm_harbor", "quiet_tide", "river_stone"),
        not_helped=("steady_hands", "sunlit_fern"),
    ),
    DemoTopic(
        board="coping-tips",
        kind=TopicKind.TIP,
        author="sunlit_fern",
        title="Wraparound tinted glasses for supermarkets and bright offices",
        days_ago=7,
        tags=("bright-light", "blepharospasm"),
        body=(
            "Fluorescent lighting is my worst trigger. A pair of wraparound tinted glasses (the kind that block "
            "light from the sides too) has made shopping bearable again.\n\n"
            "I asked at my eye clinic which tint they'd suggest; worth asking yours, as they can advise what "
            "suits your eyes."
        ),
        replies=(
            (
                "blinking_owl",
                "Yes! Mine have a rose tint and I get far fewer 'clamp shut' moments under shop lights.",
            ),
            (
                "amber_lantern",
                "Bought some after reading this. Wore them for a full day in the office, a real difference.",
            ),
        ),
        reactions=(
            ("blinking_owl", ME_TOO, 0),
            ("amber_lantern", HELPFUL, 0),
            ("quiet_tide", HELPFUL, 0),
            ("sunlit_fern", SUPPORT, 2),
        ),
        helped=("blinking_owl", "amber_lantern", "quiet_tide", "calm_harbor", "willow_path"),
    ),
    # --- Triggers --------------------------------------------------------------------------
    DemoTopic(
        board="triggers",
        kind=TopicKind.EXPERIENCE,
        author="willow_path",
        title="I cut back to one coffee a day — what I noticed after a month",
        days_ago=18,
        tags=("caffeine", "hemifacial-spasm"),
        body=(
            "I was on four or five strong coffees a day. I talked it over with my GP first, then tapered down "
            "slowly over two weeks (the headaches from stopping suddenly are no joke).\n\n"
            "A month in: the spasms are still there, but I think the really bad afternoons are less frequent. "
            "Could be coincidence, could be the better sleep that came with it. Just one person's experience."
        ),
        replies=(
            (
                "steady_hands",
                "Same pattern here. I switched my afternoon one to decaf and my evenings got calmer.",
            ),
            (
                "morning_heron",
                "I tried this and honestly noticed no difference, but I did sleep better, so I'm keeping it.",
            ),
            (
                "willow_path",
                "That's the thing, isn't it. Hard to untangle caffeine from sleep from stress.",
            ),
        ),
        reactions=(
            ("steady_hands", ME_TOO, 0),
            ("calm_harbor", HELPFUL, 0),
            ("amber_lantern", HELPFUL, 0),
            ("willow_path", HELPFUL, 2),
        ),
    ),
    DemoTopic(
        board="triggers",
        kind=TopicKind.QUESTION,
        author="amber_lantern",
        title="Does anyone else get much worse after a bad night's sleep?",
        days_ago=11,
        tags=("fatigue-sleep", "blepharospasm"),
        body=(
            "If I sleep badly, the next day my eyes are clamping shut by mid-morning. After a good night I can go "
            "hours without an episode. Is this a common pattern? And has anything helped your sleep?"
        ),
        replies=(
            (
                "blinking_owl",
                "Very much so. The warm compress routine over in coping tips helped me wind down.",
            ),
            (
                "quiet_tide",
                "Same. A fixed bedtime and no screens for the last hour has helped me more than anything else.",
            ),
            (
                "sunlit_fern",
                "Me too. When my sleep was terrible for weeks, my GP looked into it properly; it turned out to be "
                "something treatable. Worth mentioning to your doctor if it's ongoing.",
            ),
        ),
        reactions=(
            ("blinking_owl", ME_TOO, 0),
            ("quiet_tide", ME_TOO, 0),
            ("sunlit_fern", ME_TOO, 0),
            ("calm_harbor", ME_TOO, 0),
            ("amber_lantern", HELPFUL, 2),
            ("amber_lantern", HELPFUL, 3),
        ),
    ),
    DemoTopic(
        board="triggers",
        kind=TopicKind.TIP,
        author="amber_lantern",
        title="Screen breaks every twenty minutes, with a timer",
        days_ago=5,
        tags=("eye-strain", "blepharospasm"),
        body=(
            "My optician suggested the 'twenty-twenty-twenty' habit: every twenty minutes, look at something about "
            "twenty feet away for twenty seconds. I kept forgetting, so now a gentle timer reminds me.\n\n"
            "Long spreadsheet days used to end with my eyes squeezing shut. With the breaks, it's better most days."
        ),
        replies=(
            (
                "blinking_owl",
                "I also turned my screen brightness down and made the text bigger. Small changes, but they add up.",
            ),
        ),
        reactions=(
            ("blinking_owl", HELPFUL, 0),
            ("sunlit_fern", HELPFUL, 0),
            ("amber_lantern", HELPFUL, 1),
        ),
        helped=("blinking_owl", "sunlit_fern", "quiet_tide"),
        not_helped=("calm_harbor", "steady_hands"),
    ),
    DemoTopic(
        board="triggers",
        kind=TopicKind.EXPERIENCE,
        author="calm_harbor",
        title="A stressful week at work and my cheek would not stop",
        days_ago=6,
        tags=("stress-anxiety", "hemifacial-spasm"),
        body=(
            "Deadline week. By Thursday the spasm was pulling the corner of my mouth almost constantly and I "
            "ended up leaving a meeting because I was so self-conscious.\n\n"
            "Writing this mostly to get it off my chest. It's calmer now the week is over. I've booked a "
            "check-in with my neurologist anyway, since it was worse than it has been in a long time."
        ),
        replies=(
            (
                "morning_heron",
                "Sending a hug. Leaving a meeting is a completely reasonable thing to do, and so is booking that "
                "check-in when things change.",
            ),
            (
                "river_stone",
                "Well done for looking after yourself. Stress weeks are rough for my wife too.",
            ),
        ),
        reactions=(
            ("morning_heron", SUPPORT, 0),
            ("willow_path", SUPPORT, 0),
            ("steady_hands", SUPPORT, 0),
            ("gentle_kestrel", SUPPORT, 0),
            ("steady_hands", ME_TOO, 0),
        ),
    ),
    # --- Treatments --------------------------------------------------------------------------
    DemoTopic(
        board="treatments",
        kind=TopicKind.EXPERIENCE,
        author="steady_hands",
        title="My first botulinum toxin injections: an honest diary",
        days_ago=16,
        tags=("botulinum-toxin", "hemifacial-spasm"),
        body=(
            "Some people asked, so here's how my first round went. Everyone's experience is different, and your "
            "own doctor is the one to ask about what to expect for you.\n\n"
            "- **Day of:** a handful of small injections around my eye and cheek. Stung a little, over quickly.\n"
            "- **First week:** no change at all, and I worried it hadn't worked.\n"
            "- **Second week:** the twitching faded to almost nothing. I cried a bit in the kitchen.\n"
            "- **Side effects:** my eyelid drooped slightly for a couple of weeks. I told the clinic, and they "
            "adjusted things for the next round.\n\n"
            "I'm told it wears off over a few months, so I'll report back."
        ),
        replies=(
            (
                "calm_harbor",
                "Thank you for writing this. My first appointment for injections is coming up and this is reassuring.",
            ),
            (
                "blinking_owl",
                "The 'nothing happening in week one' part is so normal and nobody warns you. Glad it kicked in.",
            ),
            (
                "morning_heron",
                "The droop happened to me too on my first round. It settled, and telling the clinic was the right "
                "call.",
            ),
        ),
        reactions=(
            ("calm_harbor", HELPFUL, 0),
            ("willow_path", HELPFUL, 0),
            ("amber_lantern", HELPFUL, 0),
            ("morning_heron", HELPFUL, 0),
            ("sunlit_fern", SUPPORT, 0),
            ("steady_hands", ME_TOO, 3),
        ),
    ),
    DemoTopic(
        board="treatments",
        kind=TopicKind.QUESTION,
        author="sunlit_fern",
        title="Injections wearing off before the next appointment — how do you manage the gap?",
        days_ago=8,
        tags=("botulinum-toxin", "blepharospasm", "support-groups"),
        body=(
            "My injections work well for about ten weeks, but my appointments are every twelve. Those last two "
            "weeks are rough. Has anyone talked to their clinic about this? And how do you get through the gap?"
        ),
        replies=(
            (
                "blinking_owl",
                "I raised it at my review and they changed my schedule. Definitely worth asking rather than putting "
                "up with it.",
            ),
            (
                "amber_lantern",
                "In the gap I plan quieter weeks and take more screen breaks. Not a fix, but it helps.",
            ),
        ),
        reactions=(
            ("amber_lantern", ME_TOO, 0),
            ("blinking_owl", ME_TOO, 0),
            ("sunlit_fern", HELPFUL, 1),
            ("sunlit_fern", HELPFUL, 2),
        ),
    ),
    DemoTopic(
        board="treatments",
        kind=TopicKind.EXPERIENCE,
        author="quiet_tide",
        title="Drowsiness in the first weeks on clonazepam",
        days_ago=14,
        tags=("benzodiazepines", "meige-syndrome"),
        body=(
            "My neurologist suggested trying clonazepam alongside injections. Sharing my experience of the side "
            "effects, not a recommendation: for the first few weeks I was very drowsy in the mornings and felt "
            "foggy at work.\n\n"
            "I was tempted to just stop, but my neurologist had been clear that it shouldn't be stopped suddenly, "
            "so I rang the clinic instead. We worked out a change together. Please talk to your doctor before "
            "changing anything with medication."
        ),
        replies=(
            (
                "morning_heron",
                "The morning fog was the worst bit for me too. It did ease after a while, and the clinic was "
                "helpful when I called.",
            ),
            (
                "gentle_kestrel",
                "Thank you for mentioning not stopping suddenly. My husband nearly did exactly that.",
            ),
        ),
        reactions=(
            ("morning_heron", ME_TOO, 0),
            ("gentle_kestrel", HELPFUL, 0),
            ("blinking_owl", HELPFUL, 0),
            ("quiet_tide", SUPPORT, 2),
        ),
    ),
    DemoTopic(
        board="treatments",
        kind=TopicKind.EXPERIENCE,
        author="morning_heron",
        title="Dry mouth and blurry reading on an anticholinergic",
        days_ago=4,
        tags=("anticholinergics", "hemifacial-spasm"),
        body=(
            "I was started on an anticholinergic medication a couple of months ago. The dry mouth was expected; "
            "the blurry reading vision wasn't, and it took me a while to connect the two.\n\n"
            "I mentioned it at my review and we're trying a different approach. If you notice something new after "
            "starting a medication, it's worth writing it down and telling your prescriber, even if it seems minor."
        ),
        replies=(
            (
                "willow_path",
                "Sugar-free lozenges got me through the dry mouth phase. Good that you raised the vision part.",
            ),
        ),
        reactions=(
            ("willow_path", HELPFUL, 0),
            ("quiet_tide", SUPPORT, 0),
        ),
    ),
    DemoTopic(
        board="treatments",
        kind=TopicKind.QUESTION,
        author="willow_path",
        title="Anyone had microvascular decompression? Thinking of asking about it",
        days_ago=2,
        tags=("microvascular-decompression", "hemifacial-spasm"),
        body=(
            "Injections have helped me for years, but they seem to be working less well now. I'd like to ask my "
            "neurologist whether surgery is something to discuss. For anyone who has been through that "
            "conversation (or the operation): how did you decide, and what do you wish you'd asked?"
        ),
        replies=(
            (
                "steady_hands",
                "A friend from my support group had it last year. She said the most useful thing was seeing a "
                "surgeon who does a lot of these and asking very directly about the risks, including to hearing. "
                "It's a big decision, so take your time.",
            ),
        ),
        reactions=(
            ("calm_harbor", SUPPORT, 0),
            ("willow_path", HELPFUL, 1),
        ),
    ),
    # --- Members-only boards -------------------------------------------------------------------
    DemoTopic(
        board="hemifacial-spasm",
        kind=TopicKind.EXPERIENCE,
        author="calm_harbor",
        title="The part nobody sees: how it feels when people stare",
        days_ago=13,
        tags=("hemifacial-spasm", "stress-anxiety"),
        body=(
            "Posting here rather than in the public boards because it feels more personal.\n\n"
            "A child on the train asked her mum why my face was 'winking'. The mum was kind about it, and honestly "
            "so was I, but I thought about it for the rest of the day. Some days I handle it with humour. Other "
            "days I just want to stay home.\n\n"
            "How do you handle the stares?"
        ),
        replies=(
            (
                "willow_path",
                "Children I don't mind, they're just curious. I say 'my face has a mind of its own' and they usually "
                "laugh. Adults who stare silently are harder.",
            ),
            (
                "morning_heron",
                "The staying-home days are real. For me, talking to a counsellor helped more than I expected.",
            ),
            (
                "steady_hands",
                "You're not alone in this. Being here and reading other people's stories helps me most.",
            ),
        ),
        reactions=(
            ("willow_path", SUPPORT, 0),
            ("morning_heron", SUPPORT, 0),
            ("steady_hands", ME_TOO, 0),
            ("amber_lantern", SUPPORT, 0),
            ("calm_harbor", HELPFUL, 1),
            ("calm_harbor", HELPFUL, 2),
        ),
    ),
    DemoTopic(
        board="hemifacial-spasm",
        kind=TopicKind.TIP,
        author="willow_path",
        title="Gentle jaw and neck stretches my physiotherapist showed me",
        days_ago=10,
        tags=("stretching", "physical-therapy", "hemifacial-spasm"),
        body=(
            "My physiotherapist gave me a short routine of gentle jaw and neck stretches for the tension I get "
            "around the spasm. It doesn't touch the spasm itself, but my jaw aches less.\n\n"
            "I won't describe the exercises here because they were fitted to me; if tension is a problem for you, "
            "ask for a referral so someone can show you safely."
        ),
        replies=(
            (
                "steady_hands",
                "Did it make the spasm itself any different for you? For me it was only the ache.",
            ),
            (
                "willow_path",
                "Only the ache for me too. Worth it for that alone.",
            ),
        ),
        reactions=(
            ("steady_hands", HELPFUL, 0),
            ("willow_path", HELPFUL, 1),
        ),
        helped=("steady_hands",),
        not_helped=("calm_harbor", "morning_heron"),
    ),
    DemoTopic(
        board="blepharospasm",
        kind=TopicKind.QUESTION,
        author="blinking_owl",
        title="Reading has become hard — what gets your eyes through a long chapter?",
        days_ago=3,
        tags=("blepharospasm", "eye-strain", "bright-light"),
        body=(
            "Reading used to be my favourite thing and now my eyes shut after a page or two. What has helped you? "
            "Audiobooks are great but I miss paper."
        ),
        replies=(
            (
                "sunlit_fern",
                "An e-reader with a warm, dim light and a large font. And reading in short bursts with breaks.",
            ),
            (
                "amber_lantern",
                "Touching a finger lightly near the outer corner of my eye sometimes helps me keep it open. Odd, "
                "but apparently quite common; my neurologist said it has a name.",
            ),
            (
                "quiet_tide",
                "Large-print library books, and no shame about it.",
            ),
        ),
        reactions=(
            ("amber_lantern", ME_TOO, 0),
            ("sunlit_fern", ME_TOO, 0),
            ("blinking_owl", HELPFUL, 1),
            ("blinking_owl", HELPFUL, 2),
            ("quiet_tide", ME_TOO, 2),
            ("blinking_owl", HELPFUL, 3),
        ),
    ),
    DemoTopic(
        board="blepharospasm",
        kind=TopicKind.EXPERIENCE,
        author="quiet_tide",
        title="Meige syndrome and eating out: small things that help me",
        days_ago=1.5,
        tags=("meige-syndrome", "stress-anxiety"),
        body=(
            "With Meige my jaw and mouth are affected as well as my eyes, so restaurants became stressful. Things "
            "that make it easier for me:\n\n"
            "1. Booking a quiet corner table, away from bright lights.\n"
            "2. Choosing softer food on bad days.\n"
            "3. Telling the friends I eat with, so I'm not hiding it.\n\n"
            "None of it is a cure, but I go out again now."
        ),
        replies=(
            (
                "sunlit_fern",
                "Telling friends was the big one for me too. It took so much pressure off.",
            ),
        ),
        reactions=(
            ("sunlit_fern", SUPPORT, 0),
            ("blinking_owl", HELPFUL, 0),
        ),
    ),
    DemoTopic(
        board="caregivers",
        kind=TopicKind.QUESTION,
        author="gentle_kestrel",
        title="How do I support my husband without hovering?",
        days_ago=11.5,
        tags=("caregiver", "support-groups"),
        body=(
            "My husband has hemifacial spasm. When it's bad I want to help, but I can tell he hates being asked "
            "'are you OK?' all the time. How do other partners find the balance?"
        ),
        replies=(
            (
                "river_stone",
                "We agreed on a signal: if my wife wants to leave somewhere, she touches my arm and we go, no "
                "questions. It means I don't have to keep checking.",
            ),
            (
                "gentle_kestrel",
                "A signal is a brilliant idea. I'll suggest it tonight.",
            ),
            (
                "river_stone",
                "Also, our local support group has a carers' evening once a month. Meeting other partners has been "
                "good for me.",
            ),
        ),
        reactions=(
            ("river_stone", SUPPORT, 0),
            ("gentle_kestrel", HELPFUL, 1),
            ("gentle_kestrel", HELPFUL, 3),
        ),
    ),
    DemoTopic(
        board="caregivers",
        kind=TopicKind.EXPERIENCE,
        author="river_stone",
        title="Driving my wife to her injection days",
        days_ago=6.5,
        tags=("caregiver", "botulinum-toxin"),
        body=(
            "Every few months I take a day off to drive my wife to her injection appointment. It's become a little "
            "ritual: we get coffee on the way (decaf for her) and a walk in the park after.\n\n"
            "Sharing because caring can feel like an endless list of tasks. Turning this one into something we "
            "both look forward to has helped."
        ),
        replies=(
            (
                "gentle_kestrel",
                "This made me smile. We're going to borrow the park walk.",
            ),
        ),
        reactions=(
            ("gentle_kestrel", SUPPORT, 0),
            ("sunlit_fern", SUPPORT, 0),
        ),
    ),
    # --- Introductions ---------------------------------------------------------------------------
    DemoTopic(
        board="introductions",
        kind=TopicKind.EXPERIENCE,
        author="morning_heron",
        title="Hello from a new member who found you through a local support group",
        days_ago=21,
        tags=("support-groups",),
        body=(
            "Hello everyone. I've had hemifacial spasm for about six years. Someone at my local support group "
            "mentioned this forum. Outside of spasms I love birdwatching and very strong tea (working on that "
            "second one).\n\n"
            "Looking forward to getting to know you all."
        ),
        replies=(
            (
                "calm_harbor",
                "Welcome! Birdwatching seems a fitting hobby for someone called morning_heron.",
            ),
            (
                "steady_hands",
                "Welcome aboard. Lots of kind people here, ask anything.",
            ),
        ),
        reactions=(
            ("calm_harbor", SUPPORT, 0),
            ("willow_path", SUPPORT, 0),
            ("river_stone", SUPPORT, 0),
        ),
    ),
    DemoTopic(
        board="introductions",
        kind=TopicKind.QUESTION,
        author="amber_lantern",
        title="Does anyone here go to an in-person support group? Was it worth it?",
        days_ago=2.5,
        tags=("support-groups",),
        body=(
            "There's a monthly dystonia support group near me and I keep almost going. For those who go: what is it "
            "like? Did it help?"
        ),
        replies=(
            (
                "morning_heron",
                "Mine is relaxed: tea, a speaker sometimes, mostly just chatting. Walking in the first time was the "
                "hardest part. Worth it.",
            ),
            (
                "river_stone",
                "Partners are welcome at ours too, if you'd like to bring someone along for the first visit.",
            ),
        ),
        reactions=(
            ("amber_lantern", HELPFUL, 1),
            ("amber_lantern", HELPFUL, 2),
            ("blinking_owl", ME_TOO, 0),
        ),
    ),
)
