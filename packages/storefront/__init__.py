"""What customers use: the shop's pages (``shop``), My account (``account``), gift-card balance
and printing (``giftcards``), their forms, the shop API (``api``) and the one rate-limit module
both the pages and the API count against (``ratelimit``). Thin: the services decide."""
