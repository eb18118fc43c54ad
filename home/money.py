"""Money is integer minor units plus a currency code; this only formats it for people."""


def format_money(amount_minor: int, currency: str = "usd") -> str:
    """Integer minor units to a display string: 9500, "usd" -> "$95"; -3550 -> "−$35.50". No floats involved."""
    symbols = {"usd": "$", "eur": "€", "gbp": "£"}
    amount = int(amount_minor)
    major, minor = divmod(abs(amount), 100)
    text = f"{major:,}" if minor == 0 else f"{major:,}.{minor:02d}"
    symbol = symbols.get(currency.lower())
    text = f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"
    return f"−{text}" if amount < 0 else text
