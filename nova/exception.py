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


class NoValidHost(NovaException):
    message = 'No valid host was found. %(reason)s'


class Forbidden(NovaException):
    message = 'Forbidden.'
    code = 403


class PolicyNotAuthorized(Forbidden):
    message = 'Policy doesn\'t allow %(action)s to be performed.'


class FlavorNotFound(NotFound):
    message = 'Flavor %(flavor_id)s could not be found.'


class FlavorExtraSpecsNotFound(NotFound):
    message = ('Flavor %(flavor_id)s has no extra specs with key '
               '%(extra_specs_key)s.')


class FlavorExists(Conflict):
    message = 'Flavor with name %(name)s already exists.'


class FlavorIdExists(Conflict):
    message = 'Flavor with ID %(flavor_id)s already exists.'


class MarkerNotFound(NotFound):
    message = 'Marker %(marker)s could not be found.'
