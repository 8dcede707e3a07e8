"""Growth along the ladder, as plain data: readiness for a level, ratings, and the rules of reviews.

No framework imports here; the web layer (``trellis.web.growth``) stores and shows what
these modules compute.
"""
