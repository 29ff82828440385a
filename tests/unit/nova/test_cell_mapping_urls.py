"""Cell mapping URL templates and password masking."""

import pytest

from nova.conf import CONF
from nova.objects import cell_mapping
from servicekit.urls import mask_password


@pytest.fixture
def local_urls():
    CONF([], project='nova', default_config_files=[])
    cell_mapping.local_transport_url()   # registers [DEFAULT] transport_url
    CONF.set_override('connection', 'mysql+pymysql://me:dbpw@db1:3306/nova'
                      '?charset=utf8mb4', group='database')
    CONF.set_override('transport_url',
                      'rabbit://u1:p1@mq1:5672,u2:p2@mq2:5673/vhost')
    yield
    CONF.clear_override('connection', group='database')
    CONF.clear_override('transport_url')
    CONF.reset()


@pytest.mark.parametrize('template, expected', [
    ('mysql+pymysql://{username}:{password}@{hostname}:{port}/cell1'
     '?{query}', 'mysql+pymysql://me:dbpw@db1:3306/cell1?charset=utf8mb4'),
    ('{scheme}://{netloc}/{path}_cell1',
     'mysql+pymysql://me:dbpw@db1:3306/nova_cell1'),
    ('sqlite:///plain', 'sqlite:///plain'),
    (None, None),
    # Not a template it can fill: used as written.
    ('mysql+pymysql://{nosuchkey}/x', 'mysql+pymysql://{nosuchkey}/x'),
])
def test_database_templates(local_urls, template, expected):
    assert cell_mapping.format_db_url(template) == expected


def test_transport_templates_with_several_hosts(local_urls):
    assert cell_mapping.format_mq_url(
        'rabbit://{username}:{password}@{hostname}:{port}/{path}') == (
        'rabbit://u1:p1@mq1:5672/vhost')
    assert cell_mapping.format_mq_url(
        'rabbit://{username2}:{password2}@{hostname2}:{port2}/c') == (
        'rabbit://u2:p2@mq2:5673/c')


def test_templates_without_local_urls_stay_as_written():
    CONF([], project='nova', default_config_files=[])
    try:
        # oslo.messaging's default transport URL does not count.
        assert cell_mapping.local_transport_url() is None
        assert cell_mapping.format_mq_url('rabbit://{hostname}/') == (
            'rabbit://{hostname}/')
        assert cell_mapping.format_db_url('x://{hostname}/') == (
            'x://{hostname}/')
    finally:
        CONF.reset()


@pytest.mark.parametrize('url, masked', [
    ('rabbit://nova:secret@mq:5672/', 'rabbit://nova:****@mq:5672/'),
    ('mysql+pymysql://root:p@ss:w@db/nova?charset=utf8',
     'mysql+pymysql://root:****@db/nova?charset=utf8'),
    ('sqlite:////var/lib/nova/nova.sqlite',
     'sqlite:////var/lib/nova/nova.sqlite'),
    ('rabbit://mq:5672/', 'rabbit://mq:5672/'),
    ('none:///', 'none:///'),
    (None, None),
])
def test_mask_password(url, masked):
    assert mask_password(url) == masked


def test_cell0():
    assert cell_mapping.CellMapping(uuid=cell_mapping.CELL0_UUID).is_cell0
    assert not cell_mapping.CellMapping(uuid='x').is_cell0
