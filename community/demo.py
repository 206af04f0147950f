"""Demo boards, following the themes of the health guides the community grew from."""

DEMO_BOARDS: list[dict] = [
    {
        "slug": "newly-diagnosed",
        "name": "Newly diagnosed",
        "description": "Just diagnosed, or still waiting for answers? Ask anything, meet people who have been there.",
        "is_public": True,
    },
    {
        "slug": "coping-tips",
        "name": "Coping tips & self-care",
        "description": "Share what helps you day to day: compresses, breathing, routines, small wins.",
        "is_public": True,
    },
    {
        "slug": "triggers",
        "name": "Triggers — stress, sleep, caffeine, eye strain",
        "description": "What makes spasms worse for you, and what you changed.",
        "is_public": True,
    },
    {
        "slug": "treatments",
        "name": "Treatments — botulinum toxin, medication, physical therapy",
        "description": "Experiences with treatments. Peers share experiences, not medical advice: talk to your doctor.",
        "is_public": True,
    },
    {
        "slug": "hemifacial-spasm",
        "name": "Hemifacial spasm",
        "description": "For people living with hemifacial spasm.",
        "is_public": False,
    },
    {
        "slug": "blepharospasm",
        "name": "Blepharospasm",
        "description": "For people living with blepharospasm and Meige syndrome.",
        "is_public": False,
    },
    {
        "slug": "caregivers",
        "name": "Caregivers & family",
        "description": "For partners, family and friends supporting someone with facial spasms.",
        "is_public": False,
    },
    {
        "slug": "introductions",
        "name": "Introductions & off-topic",
        "description": "Say hello, and talk about anything else.",
        "is_public": True,
    },
]
