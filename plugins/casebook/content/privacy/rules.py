"""The privacy scan's rules, in one place: how sure a match must be, and what makes it more or less
sure.

As Microsoft Presidio scores a match: each kind of personal data gets a base confidence from how
it is written (a valid number with its country code is surer than a bare run of digits), raised by
a word of its kind just before it ("call", "mobile", "card") and lowered by a reference word
("order", "ticket", "invoice"): staff quote order and ticket numbers in almost every entry. What
reaches THRESHOLD is reported. The team adds its own reference words and patterns in pelicanconf.py
(CASEBOOK_PRIVACY_REFERENCE_WORDS, CASEBOOK_PRIVACY_REFERENCE_PATTERNS).
"""

THRESHOLD = 0.5

# Phone numbers, by how they are written (recognisers.phone_confidence). "Valid" is
# libphonenumber's:
# a number in a range that is in use. "Grouped" means grouped as the country groups it.
INTERNATIONAL = 0.9  # +44 20 7946 0958, 0044 …, +1.415.555.0132: valid, with its country code
INTERNATIONAL_POSSIBLE = (
    0.6  # +44 7700 900123: a possible length for the country, in a range not in use
)
# At home: with the trunk prefix, valid or as long as a mobile number (020 7946 0958, 07700900123).
# Abroad, in a country with a trunk prefix: valid and grouped as there ((415) 555-0132, 06 12 34 56
# 78).
NATIONAL = 0.6
# Valid, but as likely a reference: ungrouped (4155550132), or a country's whose national numbers
# are bare
# digit groups (Spain's 612 34 56 78). A phone word before it must say what it is.
NATIONAL_UNGROUPED = 0.3
EXTENSION = 0.2  # ext. 12, x204: only phone numbers have extensions
# Countries whose national numbers are recognised, besides the home one (CASEBOOK_PHONE_REGION).
# Each one
# more is a little more chance of a false alarm; a number with its country code is recognised from
# any.
OTHER_REGIONS = ("GB", "US", "IE", "FR", "DE", "ES", "IT", "NL", "BE", "PT", "AU", "IN")
MOST_DIGITS = 17  # a country code, a trunk prefix and the longest national number
MOST_CARD_DIGITS = 19  # Visa, Maestro and UnionPay issue cards of 19 digits

CARD = 0.7  # Luhn-valid, with a card network's prefix and length
IBAN = 0.9  # a country's IBAN length and a valid check sum
EMAIL = 0.9
EMAIL_SPELLED_OUT = 0.7  # name at domain dot com, name [at] domain.com
TEAM_PATTERN = 1.0  # CASEBOOK_PRIVACY_PATTERNS: the team knows its own formats

# The words before a match: its own kind's words raise it, reference words lower it.
CONTEXT_BOOST = 0.3
REFERENCE_PENALTY = 0.4
WINDOW = 5  # words before a match that may say what it is; a sentence's end stops the look back
PHONE_WORDS = frozenset(
    """
    call called calling calls caller callback phone phoned phoning phones telephone tel tél mobile
    mob
    cell cellphone landline rang ring ringing rung dial dialled dialed ext extension fax whatsapp
    text
    texted texting sms voicemail contact helpline hotline ph telefon teléfono móvil portable
""".split()
)
CARD_WORDS = frozenset("card visa mastercard amex maestro debit credit cc pan".split())
IBAN_WORDS = frozenset("iban bank account transfer".split())
REFERENCE_WORDS = frozenset(
    """
    order orders ticket tickets case cases invoice invoices inv tracking track waybill awb
    consignment
    shipment parcel sku ref reference booking claim incident rma receipt transaction serial model
    part batch lot po voucher coupon policy membership item product build version release error code
    unix timestamp epoch fedex ups dhl dpd usps evri hermes parcelforce gls tnt
""".split()
)
# A label takes its meaning from the word before it ("order number", "phone number", "caller ID").
# Alone,
# "number" means a phone number, "ID" a reference, and "no." or "#" could be either.
LABELS = {"number": "phone", "num": "phone", "id": "reference", "no": None, "nr": None, "#": None}
# After these, a full stop ends no sentence: "no. 4588127", "tel. 020 …".
ABBREVIATIONS = frozenset("no nr tel ref inv ext mob ph approx e.g i.e mr mrs ms dr st".split())

# E-mail addresses spelled out: "jane at example dot com". Plain "at" is also a preposition, so it
# counts only with a domain spelled out too, a local part that looks like an address, or a mail
# host.
TOP_LEVEL_DOMAINS = frozenset(
    """
    com org net edu gov mil int info biz io co me tv app dev email online site xyz uk de fr es it
    nl be
    ie pt pl ch at se dk no fi au nz ca us in jp cn br mx za ru eu
""".split()
)
MAIL_HOSTS = frozenset(
    """
    gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol proton protonmail gmx
    web
    mail btinternet sky virginmedia talktalk orange wanadoo free laposte t-online zoho yandex
""".split()
)
FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp pdf html htm css js json txt csv zip docx xlsx mp3 mp4".split()
)  # logo@2x.png is a file name
