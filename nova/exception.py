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


class FlavorAccessExists(Conflict):
    message = ('Flavor access already exists for flavor %(flavor_id)s and '
               'project %(project_id)s combination.')


class FlavorAccessNotFound(NotFound):
    message = ('Flavor access not found for %(flavor_id)s / '
               '%(project_id)s combination.')


class MarkerNotFound(NotFound):
    message = 'Marker %(marker)s could not be found.'


class InstanceNotFound(NotFound):
    message = 'Instance %(instance_id)s could not be found.'


class BuildRequestNotFound(NotFound):
    message = 'BuildRequest not found for instance %(uuid)s'


class RequestSpecNotFound(NotFound):
    message = 'RequestSpec not found for instance %(instance_uuid)s'


class MigrationNotFound(NotFound):
    message = 'Migration %(migration_id)s could not be found.'


class InstanceActionNotFound(NotFound):
    message = ('Action for request_id %(request_id)s on instance '
               '%(instance_uuid)s not found')


class ImageNotFound(NotFound):
    message = 'Image %(image_id)s could not be found.'


class UnexpectedStateError(Conflict):
    """A compare-and-swap on an instance's state found another state."""
    message = ('Unexpected %(field)s: expecting %(expected)s but the '
               'actual state is %(actual)s')


class UnexpectedTaskStateError(UnexpectedStateError):
    def __init__(self, expected, actual, **kwargs) -> None:
        super().__init__(field='task_state', expected=expected,
                         actual=actual, **kwargs)
        self.expected, self.actual = expected, actual


class UnexpectedVMStateError(UnexpectedStateError):
    def __init__(self, expected, actual, **kwargs) -> None:
        super().__init__(field='vm_state', expected=expected,
                         actual=actual, **kwargs)
        self.expected, self.actual = expected, actual


class InstanceInvalidState(Conflict):
    message = ("Cannot '%(action)s' instance %(instance_uuid)s while it is "
               "in %(attr)s %(state)s")


class InstanceIsLocked(Conflict):
    message = 'Instance %(instance_uuid)s is locked'


class OverQuota(Forbidden):
    """Counted usage plus the request would pass a limit. `overs` names
    the resources, `quotas` and `usages` give the numbers."""
    message = 'Quota exceeded for resources: %(overs)s'


class BuildAbortException(NovaException):
    message = ('Build of instance %(instance_uuid)s aborted: '
               '%(reason)s')


class RescheduledException(NovaException):
    message = ('Build of instance %(instance_uuid)s was re-scheduled: '
               '%(reason)s')


class MaxRetriesExceeded(NoValidHost):
    message = 'Exceeded maximum number of retries. %(reason)s'


class InstanceFaultRollback(NovaException):
    """An action failed on the compute host but the instance is as it
    was: record the fault, keep the vm_state."""
    message = 'Instance rollback performed due to: %(reason)s'


# -- creating and changing servers (the compute API)

class ImageNotActive(Invalid):
    message = 'Image %(image_id)s is not active.'


class FlavorMemoryTooSmall(Invalid):
    message = "Flavor's memory is too small for requested image."


class FlavorDiskTooSmall(Invalid):
    message = "Flavor's disk is too small for requested image."


class KeypairNotFound(NotFound):
    message = 'Keypair %(name)s not found for user %(user_id)s'


class KeyPairExists(Conflict):
    message = "Key pair '%(key_name)s' already exists."


class InvalidKeypair(Invalid):
    message = 'Keypair data is invalid: %(reason)s'


class InstanceGroupNotFound(NotFound):
    message = 'Instance group %(group_uuid)s could not be found.'


class TooManyInstances(OverQuota):
    message = ('Quota exceeded for %(overs)s: Requested %(req)s, but '
               'already used %(used)s of %(allowed)s %(overs)s')


class CannotResizeToSameFlavor(Invalid):
    message = 'When resizing, instances must change flavor!'


class MigrationNotFoundByStatus(MigrationNotFound):
    message = ('Migration not found for instance %(instance_id)s with '
               'status %(status)s.')


class InstanceNotReady(Conflict):
    message = 'Instance %(instance_id)s is not ready'


class MetadataLimitExceeded(Forbidden):
    message = 'Maximum number of metadata items exceeds %(allowed)d'


class InstanceMetadataNotFound(NotFound):
    message = 'Metadata item %(key)s was not found on %(instance_id)s'


class TooManyTags(Invalid):
    message = 'The number of tags exceeded the per-server limit %(limit)d'


class InstanceTagNotFound(NotFound):
    message = "Instance %(instance_id)s has no tag '%(tag)s'"


class ServiceUnavailable(NovaException):
    message = 'The service is unavailable right now; try again later.'
    code = 503


class CellUnavailable(ServiceUnavailable):
    message = ('Server %(instance_uuid)s is in cell %(cell)s, which is not '
               'answering right now; try again later.')


class CellsNotResponding(NovaException):
    # A 500, as upstream: the operator chose failing over a partial list.
    message = ('Cell(s) %(cells)s did not answer and [api] '
               'list_records_by_skipping_down_cells is False: not listing '
               'servers.')


class LockTimeout(ServiceUnavailable):
    message = ('Timed out waiting for lock %(name)s held by a concurrent '
               'request; try again later.')


class TooManyServerGroupMembers(Forbidden):
    message = 'Quota exceeded, too many servers in group'


class TooManyServerGroups(Forbidden):
    message = 'Quota exceeded, too many server groups.'


class LiveMigrationNotInProgress(NotFound):
    message = ('In-progress live migration %(migration_id)s is not found '
               'for server %(instance_id)s.')


# -- hosts, services and aggregates (os-hypervisors, os-services,
# os-aggregates)


class ComputeHostNotFound(NotFound):
    message = 'Compute host %(host)s could not be found.'


class HostBinaryNotFound(NotFound):
    message = 'Could not find binary %(binary)s on host %(host)s.'


class ServiceNotFound(NotFound):
    message = 'Service %(service_id)s could not be found.'


class ServiceNotUnique(Invalid):
    message = 'Service id %(service_id)s refers to multiple services.'


class ServiceToDeleteNotFound(ServiceNotFound):
    message = 'Service %(service_id)s not found.'


class ServiceNotUpdatable(Invalid):
    message = ('Updating a %(binary)s service is not supported. Only '
               'nova-compute services can be updated.')


class ServiceReasonWhenEnabling(Invalid):
    message = ("Specifying 'disabled_reason' with status 'enabled' is "
               "invalid.")


class ServiceNoUpdates(Invalid):
    message = ("No updates were requested. Fields 'status' or "
               "'forced_down' should be specified.")


class HypervisorNotFound(NotFound):
    message = "Hypervisor with ID '%(hypervisor_id)s' could not be found."


class HypervisorNotMatching(NotFound):
    message = "No hypervisor matching '%(pattern)s' could be found."


class AggregateNotFound(NotFound):
    message = 'Aggregate %(aggregate_id)s could not be found.'


class AggregateNameExists(Conflict):
    message = 'Aggregate %(aggregate_name)s already exists.'


class AggregateHostExists(Conflict):
    message = 'The aggregate %(aggregate_id)s already has host %(host)s.'


class AggregateHostNotFound(NotFound):
    message = 'Aggregate %(aggregate_id)s has no host %(host)s.'


class InvalidAggregateAction(Invalid):
    message = ('Unacceptable parameters for aggregate %(aggregate_id)s: '
               '%(reason)s')


class InvalidAggregateActionAdd(InvalidAggregateAction):
    # A conflict with the host's other zones: 409, as upstream's API says.
    code = 409
    message = ('Cannot add host to aggregate %(aggregate_id)s. Reason: '
               '%(reason)s.')


class AggregateHostNotRemovable(NotFound):
    message = 'Cannot remove host %(host)s in aggregate %(aggregate_id)s'


class InvalidAggregateActionDelete(InvalidAggregateAction):
    message = ('Cannot remove aggregate %(aggregate_id)s. Reason: '
               '%(reason)s.')


class InvalidAggregateActionUpdate(InvalidAggregateAction):
    message = ('Cannot update aggregate %(aggregate_id)s. Reason: '
               '%(reason)s.')


class InvalidAggregateActionUpdateMeta(InvalidAggregateAction):
    message = ('Cannot update metadata of aggregate %(aggregate_id)s. '
               'Reason: %(reason)s.')


class AvailabilityZoneNotAvailable(Invalid):
    message = 'The requested availability zone is not available'


# -- key pairs, flavors, quotas and usage (os-keypairs, flavors,
# os-quota-sets, os-quota-class-sets, os-simple-tenant-usage)


class InvalidMarker(Invalid):
    """A listing's marker names nothing the listing holds: the request
    is bad (400), unlike MarkerNotFound's missing row."""
    message = 'Marker %(marker)s could not be found.'


class KeypairLimitExceeded(Forbidden):
    message = 'Quota exceeded, too many key pairs.'


class FlavorAccessListUnavailable(NotFound):
    message = 'Access list not available for public flavors.'


class FlavorIsPublic(Conflict):
    message = 'Can not add access to a public flavor.'


class QuotaLimitBelowUsage(Invalid):
    message = ('Quota limit %(limit)s for %(resource)s must be greater than '
               'or equal to already used and reserved %(minimum)s.')


class QuotaLimitAboveMaximum(Invalid):
    message = ('Quota limit %(limit)s for %(resource)s must be less than or '
               'equal to %(maximum)s.')


# -- volumes (Cinder)

class VolumeNotFound(NotFound):
    message = 'Volume %(volume_id)s could not be found.'


class VolumeBDMNotFound(NotFound):
    message = 'No volume Block Device Mapping with id %(volume_id)s.'


class VolumeNotAttached(NotFound):
    message = 'Volume %(volume_id)s is not attached to the instance.'


class InvalidVolume(Invalid):
    message = 'Invalid volume: %(reason)s'


class VolumeAlreadyAttached(InvalidVolume):
    message = ('Invalid volume: volume %(volume_id)s is already attached '
               'to instance %(instance_uuid)s')


class RootVolumeDetach(Invalid):
    message = 'Cannot detach a root device volume'


class MultiattachNotSupportedOldMicroversion(Invalid):
    message = ('Multiattach volumes are only supported starting with '
               'compute API version 2.60.')


class MultiattachSwapVolumeNotSupported(Invalid):
    message = ('Swapping multi-attach volumes with more than one read/write '
               'attachment is not supported.')


class NewVolumeNotFound(Invalid):
    # A volume a request body names (the URL's is a 404).
    message = 'Volume %(volume_id)s could not be found.'


class MultiattachNotSupportedByVirtDriver(Conflict):
    message = ('Volume %(volume_id)s has multiattach enabled, but the '
               'compute driver does not support it.')


class CinderConnectionFailed(NovaException):
    message = 'Connection to cinder host failed: %(reason)s'
    code = 503


class CinderAPIVersionNotAvailable(NovaException):
    message = 'Nova does not support Cinder API version %(version)s'
    code = 503


class VolumeError(NovaException):
    """Cinder refused a call in a way no 4xx of ours describes."""
    message = 'The volume service failed: %(reason)s'
    code = 500


class InvalidDevicePath(Invalid):
    message = 'The supplied device path (%(path)s) is invalid.'


class DevicePathInUse(Invalid):
    message = 'The supplied device path (%(path)s) is in use.'


class InvalidBDM(Invalid):
    message = 'Block Device Mapping is Invalid: %(reason)s'


class InvalidBDMVolume(InvalidBDM):
    pass


class VolumeBackedRebuild(Invalid):
    message = ('Unable to rebuild with a different image for a '
               'volume-backed server.')


class SnapshotNotFound(NotFound):
    message = 'Snapshot %(snapshot_id)s could not be found.'


class OnsetFileLimitExceeded(Forbidden):
    message = 'Personality file limit exceeded'


class OnsetFilePathLimitExceeded(OnsetFileLimitExceeded):
    message = 'Personality file path exceeds maximum %(allowed)s'


class OnsetFileContentLimitExceeded(OnsetFileLimitExceeded):
    message = 'Personality file content exceeds maximum %(allowed)s'


class CertificateValidationFailed(Invalid):
    message = ('Image signature certificate validation failed for '
               'certificate: %(cert_uuid)s. %(reason)s')


class InvalidGroupRules(Invalid):
    message = 'Only anti-affinity policy supports rules.'


class VolumeTypeNotFound(NotFound):
    message = 'Volume type %(id_or_name)s could not be found.'


class AutoDiskConfigDisabledByImage(Invalid):
    message = ('Requested image %(image)s has automatic disk resize '
               'disabled.')


class SecurityGroupNotFoundForProject(Invalid):
    message = ('Security group %(security_group_id)s not found for project '
               '%(project_id)s.')


# -- moving servers (evacuate, live migration, migrate to a host)


class ComputeServiceInUse(Invalid):
    message = 'Compute service of %(host)s is still in use.'


class ComputeServiceUnavailable(Invalid):
    message = 'Compute service of %(host)s is unavailable at this time.'


class UnableToMigrateToSelf(Invalid):
    message = ('Unable to migrate instance (%(instance_id)s) to current '
               'host (%(host)s).')


class CannotMigrateToSameHost(Invalid):
    message = 'Cannot migrate to the host where the server exists.'


class InvalidMigrationState(Invalid):
    message = ('Migration %(migration_id)s state of instance '
               '%(instance_uuid)s is %(state)s. Cannot %(method)s while '
               'the migration is in this state.')


class MigrationNotFoundForInstance(MigrationNotFound):
    message = ('Migration %(migration_id)s not found for instance '
               '%(instance_id)s')


class InstancePasswordSetFailed(Conflict):
    message = 'Failed to set admin password on %(instance)s: %(reason)s'


class InstanceNotRescuable(Invalid):
    message = 'Instance %(instance_id)s cannot be rescued: %(reason)s'


class ConsoleTypeInvalid(Invalid):
    message = 'Invalid console type %(console_type)s'


class ConsoleTypeUnavailable(Invalid):
    message = 'Unavailable console type %(console_type)s.'


class ConsoleTokenNotFound(NotFound):
    message = 'Token not found'
