"""The volume backend of the all-in-one cloud's Cinder (tools/cinder.sh).

Cinder's FakeLoggingVolumeDriver (from its test package) stores nothing
and reports no multiattach; this one keeps each volume's data in a file,
<state_path>/volumes/<volume id>, and needs neither root nor LVM nor
qemu-img:

- a new volume is an empty file (all zeros);
- a volume from an image holds the image's bytes as the image service
  served them (no format conversion);
- clones and snapshots copy the file; delete removes it;
- the pool reports multiattach, so a type with multiattach="<is> True"
  is scheduled here.

Attach and detach keep the parent's fake iSCSI connection info. A volume
whose metadata has fake_backend_fail=initialize_connection fails there,
as a backend that cannot export it would (tests of what Nova does when
Cinder fails in the middle of an attach).
"""

import os
import shutil

from oslo_config import cfg
from oslo_log import log as logging

from cinder import exception
from cinder.tests import fake_driver

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


class FileBackedDriver(fake_driver.FakeLoggingVolumeDriver):

    def _path(self, name: str) -> str:
        directory = os.path.join(CONF.state_path, 'volumes')
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, name)

    def _copy(self, source: str, target: str) -> None:
        if os.path.exists(self._path(source)):
            shutil.copyfile(self._path(source), self._path(target))
        else:
            open(self._path(target), 'wb').close()

    def local_path(self, volume, vg=None) -> str:
        return self._path(volume['id'])

    def initialize_connection(self, volume, connector):
        metadata = getattr(volume, 'metadata', None) or {}
        if metadata.get('fake_backend_fail') == 'initialize_connection':
            raise exception.VolumeBackendAPIException(
                data='injected failure of initialize_connection')
        return super().initialize_connection(volume, connector)

    def create_volume(self, volume):
        update = super().create_volume(volume)
        open(self._path(volume.id), 'wb').close()
        return update

    def delete_volume(self, volume):
        try:
            os.unlink(self._path(volume.id))
        except FileNotFoundError:
            pass

    def create_cloned_volume(self, volume, src_vol):
        self._copy(src_vol.id, volume.id)

    def create_snapshot(self, snapshot):
        self._copy(snapshot.volume_id, 'snapshot-' + snapshot.id)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._copy('snapshot-' + snapshot.id, volume.id)

    def delete_snapshot(self, snapshot):
        try:
            os.unlink(self._path('snapshot-' + snapshot.id))
        except FileNotFoundError:
            pass

    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        path = self._path(volume.id)
        with open(path + '.part', 'wb') as data:
            image_service.download(context, image_id, data)
        os.replace(path + '.part', path)
        LOG.info('Volume %s: image %s downloaded to %s (%d bytes)',
                 volume.id, image_id, path, os.path.getsize(path))

    def clone_image(self, context, volume, image_location, image_meta,
                    image_service):
        # Cinder's generic download path inspects the downloaded file with
        # qemu-img as root before it calls copy_image_to_volume; taking the
        # volume here as a "clone" skips that and still fetches the bytes
        # through the image service.
        update = self.create_volume(volume)
        self.copy_image_to_volume(context, volume, image_service,
                                  image_meta['id'])
        return update, True

    def _update_volume_stats(self):
        super()._update_volume_stats()
        for pool in self._stats['pools']:
            pool['multiattach'] = True
