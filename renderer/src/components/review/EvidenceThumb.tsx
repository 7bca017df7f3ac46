import { FileOutlined } from '@ant-design/icons';
import { Image, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';

import type { ApplicationMaterials } from '../../../../shared/domain/review';
import { api } from '../../api';
import { base64ToBytes } from '../../files';

type Evidence = ApplicationMaterials['evidence'][number];

/** An application's evidence file: a photo as its thumbnail, anything else by its name. */
export function EvidenceThumb({ file }: { file: Evidence }) {
  const isImage = file.mimeType.startsWith('image/');
  const [src, setSrc] = useState<string | null>(null);

  useEffect(() => {
    if (!isImage) return;
    let live = true;
    let url: string | null = null;
    api.call('evidence.read', { id: file.id, variant: 'thumb' }).then(
      (got) => {
        if (!live) return;
        url = URL.createObjectURL(
          new Blob([base64ToBytes(got.dataBase64)], { type: got.mimeType }),
        );
        setSrc(url);
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id, isImage]);

  if (isImage && src) {
    return (
      <Space orientation="vertical" size={2} style={{ width: 104 }}>
        <Image
          src={src}
          width={96}
          height={96}
          alt={file.fileName}
          style={{ objectFit: 'cover' }}
        />
        <Typography.Text ellipsis style={{ width: 96 }} type="secondary">
          {file.fileName}
        </Typography.Text>
      </Space>
    );
  }
  return (
    <Typography.Text>
      <FileOutlined /> {file.fileName}
    </Typography.Text>
  );
}
