"""Text helpers: comparisons that ignore case and accents, as users expect of a search box."""

import unicodedata


def fold(text: str) -> str:
    """``"  Élodie-Marie "`` → ``"elodie marie"``: lower case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in no_marks.casefold())
    return " ".join(cleaned.split())


VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")


def of(name: object) -> str:
    """« de Lucas », « d'Inès » : French elides « de » before a vowel (an « h » is left alone,
    muet or aspiré cannot be told from the spelling)."""
    text = str(name)
    if text[:1].lower() in VOWELS:
        return f"d'{text}"
    return f"de {text}"
