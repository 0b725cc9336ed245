class SignInRefused(Exception):
    """Why a single sign-on attempt failed, in words the login page shows the user (never a
    secret)."""
