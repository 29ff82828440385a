"""Nova's exceptions: one class per meaning. The API maps them to faults in
one place; commands print their message."""


class NovaException(Exception):
    message = 'An unknown error occurred.'
    code = 500

    def __init__(self, message: str | None = None, **kwargs) -> None:
        self.kwargs = kwargs
        super().__init__(message or self.message % kwargs)


class NotFound(NovaException):
    message = 'Resource could not be found.'
    code = 404


class Conflict(NovaException):
    message = 'Conflict.'
    code = 409


class Invalid(NovaException):
    message = 'Unacceptable parameters.'
    code = 400


class CellMappingNotFound(NotFound):
    message = 'Cell %(uuid)s has no mapping.'


class HostMappingNotFound(NotFound):
    message = 'Host \'%(name)s\' is not mapped to any cell.'


class InstanceMappingNotFound(NotFound):
    message = 'Instance %(uuid)s has no mapping to a cell.'


class HostMappingExists(Conflict):
    message = 'Host \'%(name)s\' is already mapped to a cell.'
