"""Personal links: a row reached by a key in an address (a municipality's answer to a
questionnaire, its report in a reporting round), signed so that it cannot be guessed, and never
stored."""

from django.core import signing


class SignedLink:
    """For a model whose rows open by a personal link. `link_salt` keeps one kind of link from
    opening another; `link_related` is what `from_token` loads with the row."""

    link_salt: str
    link_related: tuple[str, ...] = ()

    @property
    def token(self) -> str:
        return signing.Signer(salt=self.link_salt).sign(str(self.pk))

    @classmethod
    def from_token(cls, token: str):
        """The row the link was made for, or None for a link the portal did not make."""
        try:
            pk = int(signing.Signer(salt=cls.link_salt).unsign(token))
        except (signing.BadSignature, ValueError):
            return None
        return cls.objects.select_related(*cls.link_related).filter(pk=pk).first()
