"""How people reach Steady: input channels that ``credentials.yml`` names.

* :mod:`bot.channels.webchat`: the web chat page and its socket.io connection.
* :mod:`bot.channels.telegram`: Telegram, by webhook (servers) or long polling (laptops).

The REST channel (Rasa's own) stays on for scripts and tests.
"""
