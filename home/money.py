"""Money is integer minor units plus a currency code; this only formats it for people."""


def format_money(amount_minor: int, currency: str = "usd") -> str:
    """Integer minor units to a display string: 9500, "usd" -> "$95". No floats involved."""
    symbols = {"usd": "$", "eur": "€", "gbp": "£"}
    major, minor = divmod(int(amount_minor), 100)
    text = f"{major:,}" if minor == 0 else f"{major:,}.{minor:02d}"
    symbol = symbols.get(currency.lower())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"
