"""What every HTTP answer of the api carries or refuses: security headers, a CSP nonce, body limits,
trusted proxies."""
