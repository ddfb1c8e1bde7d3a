# Devices of the QEMU build tests/model/build.sh makes (configure
# --without-default-devices --with-devices-aarch64=prc): the virt board, which
# carries the GPU model, and the virtio-blk-pci disk that tests/vm/run.sh
# --disk attaches. Every other board and its devices stay out, which halves
# the cold build (185 s instead of 285 s on 2 cores).
CONFIG_ARM_VIRT=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_BLK=y
