"""The Jinja environment the app renders with: Flask's, with one faster path."""

from flask.templating import Environment as FlaskEnvironment

_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(FlaskEnvironment):
    def getattr(self, obj, attribute):
        """`record.title` where record is a plain dict, as the signed record is (parsed JSON).
        Jinja tries getattr() first, which raises AttributeError for every key before it falls
        back to obj[key]; a detail page reads several hundred keys that way. For a plain dict
        this gives the same result (a dict's own attributes, such as `items`, still win)
        without raising."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)
