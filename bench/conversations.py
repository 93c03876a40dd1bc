"""Multi-turn conversations the simulated users send.

Ours: the situations professionals ask about (concerns, a move, refused help,
acute danger, a question, the exercise mode). The reference `rasa init`
assistant gets conversations with its own intents (greet, mood, bot, goodbye).
No real case details: these are made-up, generic texts.
"""

from typing import List

Conversation = List[str]

OURS: List[Conversation] = [
    [
        "hallo",
        "ik blijf me zorgen maken over een leerling",
        "we hebben gemeld bij Veilig Thuis",
        "dank je wel",
    ],
    ["het gezin is verhuisd naar Zwolle", "ja", "hoe bel ik Veilig Thuis?"],
    [
        "de ouders weigeren hulp",
        "houdt mijn verantwoordelijkheid op na een melding?",
        "bedankt, tot ziens",
    ],
    ["een kind zegt dat zijn vader hem vanavond weer gaat slaan en hij durft niet naar huis"],
    [
        "ik heb het gezin doorverwezen naar het wijkteam maar maak me nog steeds zorgen",
        "en nu is het gezin verhuisd naar Den Haag",
        "opnieuw beginnen",
    ],
    ["ik wil oefenen", "2", "stop oefenen"],
    [
        "na de melding bij Veilig Thuis blijf ik me zorgen maken",
        "wat zijn de stappen van de meldcode?",
        "doei",
    ],
]

REFERENCE: List[Conversation] = [
    ["hello", "I am sad", "yes", "thanks, bye"],
    ["hi", "great", "bye"],
    ["hey", "are you a bot?", "goodbye"],
    ["good morning", "not good", "no"],
    ["hello there", "I am feeling very good", "see you"],
]


def turns_in(conversations: List[Conversation], users: int, per_user: int) -> int:
    """Turns sent when each user runs `per_user` conversations from its offset."""
    count = len(conversations)
    return sum(
        len(conversations[(user + k) % count]) for user in range(users) for k in range(per_user)
    )
