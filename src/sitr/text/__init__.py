"""Text views for detection: normalization with offsets, the Arabizi view, language and variety.

`normalize` (the function) is imported from `sitr.text.normalize`; it is not re-exported here because the
package attribute would then hide the module of the same name (`import sitr.text.normalize` would yield a
function, and patching or reading the module's tables would break).
"""

from sitr.text.arabizi import arabizi_view, has_arabizi
from sitr.text.langid import LanguageGuess, identify
from sitr.text.normalize import NormalizedText

__all__ = ["LanguageGuess", "NormalizedText", "arabizi_view", "has_arabizi", "identify"]
