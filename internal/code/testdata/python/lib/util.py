def fmt(s):
    try:
        return s.strip()
    except AttributeError:
        return ''
