"""Reads about accounts that several apps share."""


def address_verified(user, email: str) -> bool:
    """Has this account proved that it receives mail at `email` (allauth's verified address)?"""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated or not email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
