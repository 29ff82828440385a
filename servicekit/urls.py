"""Database and transport URLs as they may be shown or logged."""

import re
from urllib import parse


def mask_password(url: str | None) -> str | None:
    """`url` with any password replaced by ****; None and '' unchanged.

    oslo_utils.strutils.mask_password masks key=value and JSON secrets,
    not the user:password@ of a URL, hence this.
    """
    if not url:
        return url
    netloc = parse.urlsplit(url).netloc
    masked = re.sub(':.*@', ':****@', netloc)
    # Replace in place: unsplitting would drop the empty authority of
    # URLs such as sqlite:////path.
    return url.replace(netloc, masked, 1) if masked != netloc else url
