"""交换网关: the exchange between agencies: routing, policy, receipts, and the HTTP edge."""
