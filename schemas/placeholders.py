"""What stands in a published text where something identifying was, in each brief language."""

from __future__ import annotations

KINDS = (
    "name",
    "address",
    "account",
    "business_id",
    "identity_code",
    "phone",
    "email",
    "place",
)

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "fi": {
        "name": "[nimi]",
        "address": "[osoite]",
        "account": "[tilinumero]",
        "business_id": "[y-tunnus]",
        "identity_code": "[henkilötunnus]",
        "phone": "[puhelinnumero]",
        "email": "[sähköposti]",
        "place": "[paikka]",
    },
    "sv": {
        "name": "[namn]",
        "address": "[adress]",
        "account": "[kontonummer]",
        "business_id": "[fo-nummer]",
        "identity_code": "[personbeteckning]",
        "phone": "[telefonnummer]",
        "email": "[e-post]",
        "place": "[ort]",
    },
    "en": {
        "name": "[name]",
        "address": "[address]",
        "account": "[account number]",
        "business_id": "[business id]",
        "identity_code": "[identity code]",
        "phone": "[phone number]",
        "email": "[e-mail]",
        "place": "[place]",
    },
}


def placeholders_in(text: str, lang: str, source_lang: str = "fi") -> str:
    """Return `text` with the placeholders of `source_lang` put in `lang`'s words."""
    if lang == source_lang:
        return text
    for kind in KINDS:
        text = text.replace(PLACEHOLDERS[source_lang][kind], PLACEHOLDERS[lang][kind])
    return text
